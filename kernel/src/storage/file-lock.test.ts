/** The lock between processes that `quire serve` and the backup commands share, tried with real processes. */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackupStateFile } from './backup-state.js';
import { FileLock, LockTimeoutError } from './file-lock.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Runs TypeScript in a child process with tsx, from this folder so relative imports resolve. */
function child(code: string): { done: Promise<number>; started: Promise<void> } {
  const process_ = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], { cwd: HERE, stdio: ['ignore', 'pipe', 'inherit'] });
  const started = new Promise<void>((resolve) => process_.stdout.once('data', () => resolve()));
  const done = new Promise<number>((resolve) => process_.on('exit', (code_) => resolve(code_ ?? 1)));
  return { done, started };
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quire-lock-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('FileLock', () => {
  it('makes another process wait, and runIfFree not run, while one holds it', async () => {
    const file = path.join(dir, 'drain.lock');
    const holder = child(`
      const { FileLock } = await import(${JSON.stringify(path.join(HERE, 'file-lock.ts'))});
      await new FileLock(${JSON.stringify(file)}).run(async () => { console.log('holding'); await new Promise((r) => setTimeout(r, 800)); });
    `);
    await holder.started;
    const lock = new FileLock(file);
    const busy = await lock.runIfFree(async () => 'ran');
    expect(busy).toMatchObject({ ran: false, holder: expect.stringMatching(/^pid \d+ on /) });
    await expect(lock.run(async () => 'never', 100)).rejects.toBeInstanceOf(LockTimeoutError);
    const started = Date.now();
    expect(await lock.run(async () => 'after')).toBe('after');
    expect(await holder.done).toBe(0);
    expect(Date.now() - started).toBeGreaterThan(100);
  }, 60_000);

  it('takes over a lock whose process died', async () => {
    const file = path.join(dir, 'drain.lock');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    await writeFile(file, JSON.stringify({ pid: Number(dead.stdout), host: os.hostname(), since: new Date().toISOString() }));
    expect(await new FileLock(file).run(async () => 'taken over', 1000)).toBe('taken over');
  });

  it('refuses a file that is not a lock rather than deleting it', async () => {
    const file = path.join(dir, 'drain.lock');
    await writeFile(file, 'my notes');
    await expect(new FileLock(file).run(async () => 'no')).rejects.toThrow(/is not a Quire lock/);
    expect(await readFile(file, 'utf8')).toBe('my notes');
  });
});

describe('BackupStateFile between processes', () => {
  it('loses no update when two processes change the state at once', async () => {
    const file = path.join(dir, 'state.json');
    const writer = (name: string) => child(`
      const { BackupStateFile } = await import(${JSON.stringify(path.join(HERE, 'backup-state.ts'))});
      const states = new BackupStateFile(${JSON.stringify(file)});
      console.log('started');
      for (let i = 0; i < 15; i++) await states.update('${name}-' + i + '.ipynb', () => ({ status: 'pending' }));
    `);
    const writers = [writer('a'), writer('b')];
    expect(await Promise.all(writers.map((w) => w.done))).toEqual([0, 0]);
    const states = await new BackupStateFile(file).all();
    expect(Object.keys(states)).toHaveLength(30);
  }, 60_000);
});
