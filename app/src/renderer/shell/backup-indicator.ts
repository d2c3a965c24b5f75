import type { ServerConnection } from '@jupyterlab/services';
import { h } from '../dom.js';
import { type BackupState, type BackupStatus, getBackupStatus, resolveBackupConflict } from '../server/quire-api.js';

const LABELS: Record<BackupState, string> = {
  synced: 'Backed up',
  pending: 'Backup pending',
  failing: 'Backup failing',
  conflict: 'Backup conflict',
  off: 'Backup off',
};
/** Polled quickly while a backup is on its way (a save just queued, S3 unreachable), slowly once it is synced. */
const BUSY_POLL_MS = 1_000;
const IDLE_POLL_MS = 2_000;

/**
 * The notebook's S3 backup state, polled from the server while the notebook is open. On a conflict (the
 * copy on S3 was changed elsewhere) it offers the two resolutions the server has: keep this machine's
 * notebook, or take the one on S3, which replaces the local file (then `localReplaced` reloads it).
 */
export class BackupIndicator {
  readonly element: HTMLElement;
  private readonly badge = h('span', { class: 'status-badge backup-status', 'data-state': 'off' });
  private readonly resolution: HTMLElement;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private running = false;
  private polling = false;

  constructor(
    private readonly settings: ServerConnection.ISettings,
    private readonly path: () => string,
    private readonly localReplaced: () => Promise<void> = async () => undefined,
  ) {
    this.resolution = h('span', { class: 'backup-resolution', hidden: true },
      h('button', { class: 'ghost', 'data-action': 'backup-keep-ours', title: 'Put this notebook on S3 over the other copy', onclick: () => void this.resolve('ours') }, 'Keep mine'),
      h('button', { class: 'ghost', 'data-action': 'backup-keep-theirs', title: 'Replace this notebook with the copy on S3 (this version stays in the history)', onclick: () => void this.resolve('theirs') }, 'Take theirs'));
    this.element = h('span', { class: 'backup-indicator', hidden: true }, this.badge, this.resolution);
  }

  start(): void {
    this.running = true;
    void this.poll();
  }

  stop(): void {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** One poll at a time, so an extra one (after resolving) never starts a second polling loop. */
  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      await this.pollOnce();
    } finally {
      this.polling = false;
    }
  }

  private async pollOnce(): Promise<void> {
    let status: BackupStatus;
    let label: string | undefined;
    try {
      status = await getBackupStatus(this.settings, this.path());
    } catch (error) {
      // A server without backups (a plain Jupyter server) has no such endpoint, or refuses the
      // cross-origin request for it: there is no backup to report then.
      const message = (error as Error).message;
      if (/\(404\)/.test(message) || error instanceof TypeError || (error as Error).name === 'NetworkError') {
        this.element.hidden = true;
        this.stop();
        return;
      }
      status = { state: 'failing', detail: message };
      label = 'Backup status unknown';
    }
    // Without a backup location there is nothing to report while the server runs.
    if (status.state === 'off') {
      this.element.hidden = true;
      this.stop();
      return;
    }
    this.show(status, label ?? LABELS[status.state]);
    if (this.running && !this.timer) this.timer = setTimeout(() => void this.poll(), status.state === 'synced' ? IDLE_POLL_MS : BUSY_POLL_MS);
  }

  private show(status: BackupStatus, label: string): void {
    this.element.hidden = false;
    this.badge.dataset.state = status.state;
    this.badge.textContent = label;
    this.badge.title = status.detail ?? '';
    this.resolution.hidden = status.state !== 'conflict';
  }

  private async resolve(keep: 'ours' | 'theirs'): Promise<void> {
    const buttons = [...this.resolution.querySelectorAll('button')];
    for (const button of buttons) button.disabled = true;
    try {
      await resolveBackupConflict(this.settings, this.path(), keep);
      if (keep === 'theirs') await this.localReplaced();
    } catch (error) {
      this.show({ state: 'conflict', detail: `Could not resolve the conflict: ${(error as Error).message}` }, 'Backup conflict (resolving failed)');
      return;
    } finally {
      for (const button of buttons) button.disabled = false;
    }
    await this.poll();
  }
}
