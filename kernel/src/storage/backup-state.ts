/**
 * Per-notebook backup state, persisted in `<root>/.quire/backup/state.json`. `quire serve` and the backup
 * commands may run at once, so every change is a read-modify-write of the file under a lock between
 * processes, and reads go to the file rather than to a copy one process cached.
 */
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { isNodeError } from './errors.js';
import { FileLock } from './file-lock.js';

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
  private readonly lock: FileLock;

  constructor(private readonly file: string) {
    this.lock = new FileLock(`${file}.lock`);
  }

  async all(): Promise<Record<string, NotebookBackupState>> {
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as Record<string, NotebookBackupState>;
    } catch (error) {
      if (isNodeError(error, 'ENOENT')) return {};
      throw new Error(`cannot read backup state ${this.file}: ${(error as Error).message}`);
    }
  }

  async get(apiPath: string): Promise<NotebookBackupState | undefined> {
    return (await this.all())[apiPath];
  }

  /** Replaces one notebook's state with what `change` makes of the current one; returns the new state. */
  async update(apiPath: string, change: (previous: NotebookBackupState | undefined) => NotebookBackupState): Promise<NotebookBackupState> {
    await mkdir(path.dirname(this.file), { recursive: true });
    return this.lock.run(async () => {
      const states = await this.all();
      const next = change(states[apiPath]);
      states[apiPath] = next;
      await writeFileAtomic(this.file, JSON.stringify(states, null, 1));
      return next;
    });
  }
}
