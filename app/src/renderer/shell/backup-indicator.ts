import type { ServerConnection } from '@jupyterlab/services';
import { h } from '../dom.js';
import { type BackupState, getBackupStatus } from '../server/quire-api.js';

const LABELS: Record<BackupState, string> = {
  synced: 'Backed up',
  pending: 'Backup pending',
  failing: 'Backup failing',
  conflict: 'Backup conflict',
  off: 'Backup off',
};
const POLL_MS = 5_000;

/** The notebook's S3 backup state, polled from the server while the notebook is open. */
export class BackupIndicator {
  readonly element = h('span', { class: 'status-badge backup-status', 'data-state': 'off', hidden: true });
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly settings: ServerConnection.ISettings, private path: () => string) {}

  start(): void {
    void this.poll();
    this.timer = setInterval(() => void this.poll(), POLL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    try {
      const status = await getBackupStatus(this.settings, this.path());
      // Without a backup location there is nothing to report while the server runs.
      if (status.state === 'off') {
        this.element.hidden = true;
        this.stop();
        return;
      }
      this.element.hidden = false;
      this.element.dataset.state = status.state;
      this.element.textContent = LABELS[status.state] ?? status.state;
      this.element.title = status.detail ?? '';
    } catch (error) {
      // A server without backups (a plain Jupyter server) has no such endpoint, or refuses the
      // cross-origin request for it: there is no backup to report then.
      const message = (error as Error).message;
      if (/\(404\)/.test(message) || error instanceof TypeError || (error as Error).name === 'NetworkError') {
        this.element.hidden = true;
        this.stop();
        return;
      }
      this.element.hidden = false;
      this.element.dataset.state = 'failing';
      this.element.textContent = 'Backup status unknown';
      this.element.title = message;
    }
  }
}
