/** Warming up loads the engine and the type checker before the first cell, which then shares that work. */
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputCollector } from '../replay/output-collector.js';
import { Executor } from './executor.js';

describe('Executor.warmUp', () => {
  const executor = new Executor({ notebookDir: tmpdir(), engine: { workers: 1 } });
  afterAll(() => executor.shutdown());

  it('binds the engine functions before any cell runs, and a cell started meanwhile waits for the same loading', async () => {
    const warming = executor.warmUp();
    const collector = new OutputCollector();
    const outcome = await executor.execute('const picked: string = typeof col\npicked', 1, collector);
    await warming;
    expect(outcome).toEqual({ status: 'ok', result: expect.objectContaining({ data: expect.objectContaining({ 'text/plain': "'function'" }) }) });
    expect(typeof (globalThis as Record<string, unknown>).col).toBe('function');
    expect(executor.warmUp()).toBe(warming);
  }, 120_000);

  it('leaves the type checker ready: the next cell is still checked against the engine types', async () => {
    const outcome = await executor.execute("const c: number = col('x')", 2, new OutputCollector());
    expect(outcome.status).toBe('error');
    expect(outcome.status === 'error' && outcome.error.ename).toBe('TSError');
  }, 60_000);
});
