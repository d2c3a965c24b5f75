/** Per-notebook backup state, persisted in `<root>/.quire/backup/state.json`. */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { isNodeError } from './errors.js';

export type BackupStatus = 'synced' | 'pending' | 'failing' | 'conflict';

export interface NotebookBackupState {
  status: BackupStatus;
  /** ETag of the S3 object as this machine last wrote or read it. */
  etag?: string;
  hash?: string;
  lastSyncedAt?: string;
  error?: string;
  /** For conflicts: where our version was kept, and the ETag we found instead of ours. */
  conflictKey?: string;
  remoteEtag?: string;
}

export class BackupStateFile {
  private states: Record<string, NotebookBackupState> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {}

  async all(): Promise<Record<string, NotebookBackupState>> {
    if (!this.states) {
      try {
        this.states = JSON.parse(await readFile(this.file, 'utf8')) as Record<string, NotebookBackupState>;
      } catch (error) {
        if (!isNodeError(error, 'ENOENT')) throw new Error(`cannot read backup state ${this.file}: ${(error as Error).message}`);
        this.states = {};
      }
    }
    return this.states;
  }

  async get(apiPath: string): Promise<NotebookBackupState | undefined> {
    return (await this.all())[apiPath];
  }

  async set(apiPath: string, state: NotebookBackupState): Promise<void> {
    (await this.all())[apiPath] = state;
    const text = JSON.stringify(this.states, null, 1);
    // Writes are serialized so an older snapshot never lands after a newer one.
    this.writing = this.writing.then(async () => {
      await mkdir(path.dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, text);
    });
    await this.writing;
  }
}
