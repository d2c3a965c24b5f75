/**
 * The on-disk upload queue: every save becomes an entry (a JSON record plus a snapshot of the bytes
 * saved) under `<root>/.quire/backup/queue/`, written atomically, so a restart resumes it and no
 * save is lost while S3 is unreachable. Entries are processed in the order they were saved.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { isNodeError } from './errors.js';

export interface QueueEntry {
  id: string;
  path: string;
  /** sha256 of the snapshot, hex. */
  hash: string;
  savedAt: string;
  attempts: number;
  nextAttemptAt: number;
  lastError?: string;
}

export function contentHash(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export class BackupQueue {
  private sequence = 0;

  constructor(private readonly dir: string) {}

  private metaFile(id: string): string {
    return path.join(this.dir, `${id}.json`);
  }

  private snapshotFile(id: string): string {
    return path.join(this.dir, `${id}.snapshot`);
  }

  async add(apiPath: string, bytes: Uint8Array, savedAt = new Date()): Promise<QueueEntry> {
    await mkdir(this.dir, { recursive: true });
    // Sortable ids keep save order across restarts.
    const id = `${savedAt.getTime().toString().padStart(15, '0')}-${process.pid}-${(this.sequence++).toString().padStart(6, '0')}`;
    const entry: QueueEntry = { id, path: apiPath, hash: contentHash(bytes), savedAt: savedAt.toISOString(), attempts: 0, nextAttemptAt: 0 };
    await writeFileAtomic(this.snapshotFile(id), bytes);
    await writeFileAtomic(this.metaFile(id), JSON.stringify(entry));
    return entry;
  }

  async list(): Promise<QueueEntry[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const entries: QueueEntry[] = [];
    for (const name of names.filter((n) => n.endsWith('.json')).sort()) {
      // An entry uploaded and removed (here or by another process) since the directory was read is done, not an error.
      const text = await readFile(path.join(this.dir, name), 'utf8').catch((error) => (isNodeError(error, 'ENOENT') ? undefined : Promise.reject(error)));
      if (text !== undefined) entries.push(JSON.parse(text) as QueueEntry);
    }
    return entries;
  }

  async snapshot(entry: QueueEntry): Promise<Buffer> {
    return readFile(this.snapshotFile(entry.id));
  }

  async update(entry: QueueEntry): Promise<void> {
    await writeFileAtomic(this.metaFile(entry.id), JSON.stringify(entry));
  }

  async remove(entry: QueueEntry): Promise<void> {
    await rm(this.metaFile(entry.id), { force: true });
    await rm(this.snapshotFile(entry.id), { force: true });
  }
}
