/**
 * Backs notebooks up to S3 after each save. Each save is queued on disk; after a debounce the queue
 * is drained in save order: the snapshot goes to `PREFIX/.history/<path>/<UTC time>-<hash>.ipynb`,
 * and the newest one for a path also to `PREFIX/<path>` — unless the object there has changed since
 * this machine last synced it (its ETag differs), in which case ours is kept beside it as
 * `<name>.conflict-<host>-<time>.ipynb` and the conflict is reported. Failures are retried with
 * exponential backoff; nothing leaves the queue before S3 has it.
 */
import { DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { createHash } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { BackupQueue, contentHash, type QueueEntry } from './backup-queue.js';
import { BackupStateFile, type NotebookBackupState } from './backup-state.js';
import { FileLock } from './file-lock.js';
import { isNotFound } from './s3-client.js';
import { formatS3Url, keyUnder, type S3Location } from './s3-location.js';

export interface BackupTiming {
  /** Quiet time after a save before uploading starts. */
  debounceMs: number;
  /** First retry delay; doubles per failed attempt up to maxBackoffMs. */
  backoffMs: number;
  maxBackoffMs: number;
}

/** How soon a scheduled upload pass tries again when another process is draining the queue. */
const BUSY_RETRY_MS = 1000;

export const DEFAULT_TIMING: BackupTiming = { debounceMs: 2000, backoffMs: 1000, maxBackoffMs: 5 * 60_000 };

export interface BackupServiceOptions {
  client: S3Client;
  location: S3Location;
  /** Directory for the queue and state (`<root>/.quire/backup`). */
  stateDir: string;
  timing?: Partial<BackupTiming>;
  host?: string;
  log?: (line: string) => void;
}

/** `2026-11-22T03:16:12.345Z` -> `20261122T031612345Z`: sortable, and safe in a key. */
export function compactTime(iso: string): string {
  return iso.replace(/[-:.]/g, '');
}

export function historyPrefix(location: S3Location, apiPath: string): string {
  return keyUnder(location, '.history', apiPath) + '/';
}

export function historyKey(location: S3Location, apiPath: string, savedAt: string, hash: string): string {
  return `${historyPrefix(location, apiPath)}${compactTime(savedAt)}-${hash.slice(0, 16)}.ipynb`;
}

function md5Etag(bytes: Uint8Array): string {
  return `"${createHash('md5').update(bytes).digest('hex')}"`;
}

export class BackupService {
  readonly queue: BackupQueue;
  private readonly states: BackupStateFile;
  private readonly drainLock: FileLock;
  private readonly timing: BackupTiming;
  private readonly host: string;
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private drainAgain = false;
  private readonly enqueuing = new Set<Promise<void>>();
  private closed = false;
  private readonly log: (line: string) => void;

  constructor(private readonly options: BackupServiceOptions) {
    this.queue = new BackupQueue(path.join(options.stateDir, 'queue'));
    this.states = new BackupStateFile(path.join(options.stateDir, 'state.json'));
    this.drainLock = new FileLock(path.join(options.stateDir, 'drain.lock'));
    this.timing = { ...DEFAULT_TIMING, ...options.timing };
    this.host = (options.host ?? os.hostname()).replace(/[^a-zA-Z0-9-]/g, '-');
    this.log = options.log ?? ((line) => process.stderr.write(`${line}\n`));
  }

  get location(): S3Location {
    return this.options.location;
  }

  get client(): S3Client {
    return this.options.client;
  }

  /** Resumes a queue left by an earlier run. */
  async start(): Promise<void> {
    if ((await this.queue.list()).length > 0) this.schedule(0);
  }

  /** Records a save; the upload happens after the debounce. Resolves once the save is safely queued on disk. */
  enqueue(apiPath: string, bytes: Uint8Array): Promise<void> {
    // Saves notify without waiting: close() waits for the queue writes still under way.
    const queued = this.addToQueue(apiPath, bytes);
    this.enqueuing.add(queued);
    return queued.finally(() => this.enqueuing.delete(queued));
  }

  private async addToQueue(apiPath: string, bytes: Uint8Array): Promise<void> {
    const entry = await this.queue.add(apiPath, bytes);
    // A save of exactly what is synced (the remote version just taken in a conflict) leaves it synced.
    const unchanged = (state: NotebookBackupState | undefined) => state?.status === 'synced' && state.hash === entry.hash;
    await this.states.update(apiPath, (previous) =>
      previous?.status === 'conflict' || previous?.status === 'failing' || unchanged(previous) ? previous! : { ...previous, status: 'pending', hash: entry.hash, error: undefined });
    this.schedule(this.timing.debounceMs);
  }

  private schedule(delayMs: number): void {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.drain();
    }, delayMs);
    this.timer.unref();
  }

  /**
   * Uploads everything due now (everything queued, with `force`, as a command run by hand does);
   * returns when the queue is empty, an upload failed, or the next attempt is in the future.
   */
  drain(options: { force?: boolean } = {}): Promise<void> {
    if (this.draining) {
      // Saves queued after this pass listed the queue get a pass of their own.
      this.drainAgain = true;
      return this.draining;
    }
    this.draining = this.drainOnce(options.force ?? false).finally(() => {
      this.draining = undefined;
      if (this.drainAgain) {
        this.drainAgain = false;
        this.schedule(0);
      }
    });
    return this.draining;
  }

  /**
   * One process drains at a time (`quire serve` and `quire backup` share the queue): a command run by hand
   * waits for the server's pass to end, a scheduled pass that finds another one running comes back later.
   */
  private async drainOnce(force: boolean): Promise<void> {
    // A save that has notified but not yet reached the queue on disk belongs to this pass (a restore
    // run by hand saves, then drains at once).
    await Promise.allSettled([...this.enqueuing]);
    await mkdir(this.options.stateDir, { recursive: true });
    if (force) return this.drainLock.run(() => this.drainQueue(true));
    const pass = await this.drainLock.runIfFree(() => this.drainQueue(false));
    if (!pass.ran) this.schedule(Math.max(this.timing.debounceMs, BUSY_RETRY_MS));
  }

  private async drainQueue(force: boolean): Promise<void> {
    const entries = await this.queue.list();
    for (const [index, entry] of entries.entries()) {
      if (this.closed) return;
      if (!force && entry.nextAttemptAt > Date.now()) {
        this.schedule(entry.nextAttemptAt - Date.now());
        return;
      }
      const isNewest = !entries.slice(index + 1).some((later) => later.path === entry.path);
      try {
        await this.upload(entry, isNewest);
        await this.queue.remove(entry);
      } catch (error) {
        await this.failed(entry, error as Error);
        // Keep save order: later entries wait for this one.
        return;
      }
    }
  }

  private async failed(entry: QueueEntry, error: Error): Promise<void> {
    entry.attempts += 1;
    const delay = Math.min(this.timing.maxBackoffMs, this.timing.backoffMs * 2 ** (entry.attempts - 1));
    entry.nextAttemptAt = Date.now() + delay;
    entry.lastError = `${error.name}: ${error.message}`;
    await this.queue.update(entry);
    await this.states.update(entry.path, (previous) => ({ ...previous, status: previous?.status === 'conflict' ? 'conflict' : 'failing', error: entry.lastError }));
    this.log(`backup of ${entry.path} failed (attempt ${entry.attempts}, retrying in ${delay} ms): ${entry.lastError}`);
    this.schedule(delay);
  }

  private async upload(entry: QueueEntry, isNewest: boolean): Promise<void> {
    const { client, location } = this.options;
    const bytes = await this.queue.snapshot(entry);
    await client.send(new PutObjectCommand({ Bucket: location.bucket, Key: historyKey(location, entry.path, entry.savedAt, entry.hash), Body: bytes, ContentType: 'application/x-ipynb+json' }));
    if (!isNewest) return;
    const key = keyUnder(location, entry.path);
    const previous = await this.states.get(entry.path);
    const remoteEtag = await this.headEtag(key);
    const ours = md5Etag(bytes);
    if (remoteEtag !== undefined && remoteEtag !== previous?.etag && remoteEtag !== ours) {
      await this.keepConflict(entry, bytes, remoteEtag, previous);
      return;
    }
    const put = remoteEtag === ours ? { ETag: remoteEtag } : await client.send(new PutObjectCommand({ Bucket: location.bucket, Key: key, Body: bytes, ContentType: 'application/x-ipynb+json' }));
    await this.states.update(entry.path, () => ({ status: 'synced', etag: put.ETag, hash: entry.hash, lastSyncedAt: new Date().toISOString() }));
  }

  private async keepConflict(entry: QueueEntry, bytes: Buffer, remoteEtag: string, previous: NotebookBackupState | undefined): Promise<void> {
    const { client, location } = this.options;
    const ext = path.posix.extname(entry.path);
    const stem = entry.path.slice(0, entry.path.length - ext.length);
    // Saves made while the conflict stands replace our kept copy rather than adding one copy per save.
    const sameConflict = previous?.status === 'conflict' && previous.remoteEtag === remoteEtag && previous.conflictKey;
    const conflictKey = sameConflict || keyUnder(location, `${stem}.conflict-${this.host}-${compactTime(entry.savedAt)}${ext}`);
    await client.send(new PutObjectCommand({ Bucket: location.bucket, Key: conflictKey, Body: bytes, ContentType: 'application/x-ipynb+json' }));
    const error = `${formatS3Url(location)}/${entry.path} was changed elsewhere since this machine last synced it; ours is kept at s3://${location.bucket}/${conflictKey}`;
    this.log(`backup conflict: ${error}`);
    await this.states.update(entry.path, (current) => ({ ...(current ?? previous), status: 'conflict', hash: entry.hash, conflictKey, remoteEtag, error }));
  }

  private async headEtag(key: string): Promise<string | undefined> {
    try {
      return (await this.options.client.send(new HeadObjectCommand({ Bucket: this.options.location.bucket, Key: key }))).ETag;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /**
   * Resolves a conflict by taking the remote version: its bytes, as they are, replace the local notebook
   * (`replaceLocal` saves them, so the replaced local version stays in the history and the conflict copy)
   * and become what this machine last synced.
   */
  async takeRemote(apiPath: string, replaceLocal: (bytes: Uint8Array) => Promise<void>): Promise<void> {
    const { client, location } = this.options;
    // Not while a drain may compare the same object against the state this changes.
    await this.drainLock.run(async () => {
      const object = await client.send(new GetObjectCommand({ Bucket: location.bucket, Key: keyUnder(location, apiPath) }));
      const bytes = await object.Body!.transformToByteArray();
      await replaceLocal(bytes);
      await this.states.update(apiPath, () => ({ status: 'synced', etag: object.ETag, hash: contentHash(bytes), lastSyncedAt: new Date().toISOString() }));
    });
  }

  /**
   * Resolves a conflict by keeping this machine's version: `bytes` (the local notebook) replace the remote
   * object, whatever it is now, and the conflict copy, which held the same version, is deleted.
   */
  async keepOurs(apiPath: string, bytes: Uint8Array): Promise<void> {
    const { client, location } = this.options;
    // Not while a drain (here or in another process) may be writing the same object or conflict copy.
    await this.drainLock.run(async () => {
      const previous = await this.states.get(apiPath);
      const put = await client.send(new PutObjectCommand({ Bucket: location.bucket, Key: keyUnder(location, apiPath), Body: bytes, ContentType: 'application/x-ipynb+json' }));
      if (previous?.conflictKey) await client.send(new DeleteObjectCommand({ Bucket: location.bucket, Key: previous.conflictKey }));
      await this.states.update(apiPath, () => ({ status: 'synced', etag: put.ETag, hash: contentHash(bytes), lastSyncedAt: new Date().toISOString() }));
    });
  }

  /** Backup state per notebook, with queued saves and the last error. */
  async status(): Promise<Record<string, NotebookBackupState & { queued: number }>> {
    const states = await this.states.all();
    const queue = await this.queue.list();
    const result: Record<string, NotebookBackupState & { queued: number }> = {};
    for (const [apiPath, state] of Object.entries(states)) result[apiPath] = { ...state, queued: 0 };
    for (const entry of queue) {
      result[entry.path] ??= { status: 'pending', queued: 0 };
      result[entry.path].queued += 1;
      if (entry.lastError && result[entry.path].status !== 'conflict') {
        result[entry.path].status = 'failing';
        result[entry.path].error = entry.lastError;
      }
    }
    return result;
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.enqueuing]);
    if (this.timer) clearTimeout(this.timer);
    await this.draining;
  }
}
