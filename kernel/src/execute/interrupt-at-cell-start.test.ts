/**
 * An interrupt whose SIGINT came after the event loop's last turn but before the cell's script started
 * (so before vm's breakOnSigint watchdog) is still seen: the cell checks for a request as it starts.
 */
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { InterruptRequests } from '../protocol/interrupt-requests.js';
import { OutputCollector } from '../replay/output-collector.js';
import { Executor } from './executor.js';

describe('an interrupt asked for just before a cell starts', () => {
  const requests = new InterruptRequests();
  const executor = new Executor({ notebookDir: tmpdir(), engine: { workers: 1 }, typeCheck: false, takeInterruptRequest: () => requests.take() });
  afterAll(() => executor.shutdown());
  const scope = globalThis as Record<string, unknown>;

  it('stops the cell before its first statement, and its late signal then stops nothing', async () => {
    // The control thread counted the request; its SIGINT has not reached the SIGINT listener.
    requests.request();
    const busy = 'const started = Date.now(); while (Date.now() - started < 3000) {} globalThis.__ranBusy = true';
    const stopped = await executor.execute(busy, 1, new OutputCollector());
    expect(stopped.status === 'error' && stopped.error.ename).toBe('Interrupted');
    expect(scope.__ranBusy).toBeUndefined();
    // The signal arriving afterwards is known as the late one, once.
    expect(executor.isLateSignal()).toBe(true);
    expect(executor.isLateSignal()).toBe(false);
    // The request was taken: the next cell runs.
    const next = await executor.execute('globalThis.__ranNext = true', 2, new OutputCollector());
    expect(next.status).toBe('ok');
    expect(scope.__ranNext).toBe(true);
  }, 60_000);

  it('counts each request once between the two threads', () => {
    const shared = new InterruptRequests();
    const controlSide = new InterruptRequests(shared.buffer);
    expect(shared.take()).toBe(false);
    controlSide.request();
    controlSide.request();
    expect(shared.take()).toBe(true);
    expect(shared.take()).toBe(false);
  });
});
