/** An interrupt that comes while a cell waits behind another request stops that cell before it starts. */
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputCollector } from '../replay/output-collector.js';
import { Executor } from './executor.js';

describe('Executor.interrupt with a cell queued', () => {
  const executor = new Executor({ notebookDir: tmpdir(), engine: { workers: 1 }, typeCheck: false });
  afterAll(() => executor.shutdown());
  const scope = globalThis as Record<string, unknown>;

  it('is kept for the next cell, which stops without running, and only that one', async () => {
    expect(executor.interrupt(true)).toBe(true);
    const stopped = await executor.execute('globalThis.__ranQueued = true', 1, new OutputCollector());
    expect(stopped.status === 'error' && stopped.error.ename).toBe('Interrupted');
    expect(scope.__ranQueued).toBeUndefined();
    const next = await executor.execute('globalThis.__ranQueued = true', 2, new OutputCollector());
    expect(next.status).toBe('ok');
    expect(scope.__ranQueued).toBe(true);
  }, 60_000);

  it('is forgotten once the queue drained without a cell, and is not taken with nothing queued', async () => {
    expect(executor.interrupt(true)).toBe(true);
    executor.forgetQueuedInterrupt();
    expect(executor.interrupt(false)).toBe(false);
    expect((await executor.execute('1 + 1', 3, new OutputCollector())).status).toBe('ok');
  }, 60_000);
});
