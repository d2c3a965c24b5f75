/**
 * A lock between processes on one machine: a file created with O_EXCL holding the owner's pid and host.
 * `quire serve` and the `quire backup` / `quire restore` commands share the backup queue and state this way.
 * A lock whose owner died (same host, pid gone: a killed server) is taken over rather than waited on.
 *
 * Taking over a dead owner's lock is a remove-then-create, so two waiters that find the same dead owner at the
 * same instant could both remove it; the second removal is then re-checked against the file's content and only
 * a lock still naming the dead pid is removed, which leaves a window of a few microseconds, not a correctness
 * guarantee under adversarial timing.
 */
import { open, readFile, stat, unlink } from 'node:fs/promises';
import os from 'node:os';
import { isNodeError } from './errors.js';
import { isProcessAlive } from './process-alive.js';

interface LockHolder {
  pid: number;
  host: string;
  since: string;
}

const POLL_MS = 50;
/** A lock file still empty after this long was left by a process that died between creating and writing it. */
const EMPTY_LOCK_STALE_MS = 10_000;

export class LockTimeoutError extends Error {
  constructor(file: string, holder: string, waitedMs: number) {
    super(`${file} is held by ${holder}; gave up after ${waitedMs} ms`);
    this.name = 'LockTimeoutError';
  }
}

export class FileLock {
  constructor(readonly file: string) {}

  /** Runs `body` holding the lock, waiting up to `timeoutMs` for another holder to release it. */
  async run<T>(body: () => Promise<T>, timeoutMs = 60_000): Promise<T> {
    const started = Date.now();
    for (;;) {
      const holder = await this.tryAcquire();
      if (holder === undefined) break;
      if (Date.now() - started >= timeoutMs) throw new LockTimeoutError(this.file, holder, Date.now() - started);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    return this.holding(body);
  }

  /** Runs `body` if the lock is free now; otherwise does not run it and says who holds the lock. */
  async runIfFree<T>(body: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false; holder: string }> {
    const holder = await this.tryAcquire();
    if (holder !== undefined) return { ran: false, holder };
    return { ran: true, value: await this.holding(body) };
  }

  private async holding<T>(body: () => Promise<T>): Promise<T> {
    try {
      return await body();
    } finally {
      await unlink(this.file).catch((error: unknown) => {
        if (!isNodeError(error, 'ENOENT')) throw error;
      });
    }
  }

  /** Creates the lock file; undefined when acquired, else a description of the live holder. */
  private async tryAcquire(): Promise<string | undefined> {
    for (;;) {
      try {
        const handle = await open(this.file, 'wx', 0o644);
        const me: LockHolder = { pid: process.pid, host: os.hostname(), since: new Date().toISOString() };
        try {
          await handle.writeFile(JSON.stringify(me));
        } catch (error) {
          await handle.close();
          // An empty lock would block everyone until it counts as stale.
          await unlink(this.file).catch(() => undefined);
          throw error;
        }
        await handle.close();
        return undefined;
      } catch (error) {
        if (!isNodeError(error, 'EEXIST')) throw error;
      }
      const found = await this.readHolder();
      if (found.state === 'held') return found.by;
      if (found.state === 'dead') await this.removeIfStill(found.text);
    }
  }

  private async readHolder(): Promise<{ state: 'gone' } | { state: 'dead'; text: string } | { state: 'held'; by: string }> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (isNodeError(error, 'ENOENT')) return { state: 'gone' };
      throw error;
    }
    if (!text) {
      const age = await stat(this.file).then((s) => Date.now() - s.mtimeMs, () => 0);
      return age > EMPTY_LOCK_STALE_MS ? { state: 'dead', text } : { state: 'held', by: 'a process that is still writing it' };
    }
    let holder: LockHolder;
    try {
      holder = JSON.parse(text) as LockHolder;
    } catch {
      throw new Error(`lock file ${this.file} is not a Quire lock (${JSON.stringify(text.slice(0, 80))}); remove it if no Quire process is running`);
    }
    if (holder.host === os.hostname() && !isProcessAlive(holder.pid)) return { state: 'dead', text };
    return { state: 'held', by: `pid ${holder.pid} on ${holder.host} since ${holder.since}` };
  }

  private async removeIfStill(staleText: string): Promise<void> {
    const now = await readFile(this.file, 'utf8').catch(() => undefined);
    if (now !== staleText) return;
    await unlink(this.file).catch((error: unknown) => {
      if (!isNodeError(error, 'ENOENT')) throw error;
    });
  }
}
