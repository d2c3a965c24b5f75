/**
 * A runtime error's frames point at the cell's own line and column, though the code that ran was
 * transpiled and then edited so declarations land on the global object (which shifts columns).
 */
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputCollector } from '../replay/output-collector.js';
import { Executor } from './executor.js';

describe('runtime error positions', () => {
  const executor = new Executor({ notebookDir: tmpdir(), engine: { workers: 1 }, typeCheck: false });
  afterAll(() => executor.shutdown());
  let count = 0;

  async function traceback(source: string): Promise<string[]> {
    const outcome = await executor.execute(source, ++count, new OutputCollector());
    if (outcome.status !== 'error') throw new Error(`expected ${source} to fail`);
    return outcome.error.traceback;
  }

  /** The 1-based column of `token` in the cell's line `line`. */
  function columnOf(source: string, line: number, token: string): number {
    return source.split('\n')[line - 1]!.indexOf(token) + 1;
  }

  it('maps a frame on the first line after a removed `const`, past the wrapper that starts it', async () => {
    const source = 'const q = 1; const w = (undefined as any).bar;';
    const lines = await traceback(source);
    expect(lines).toContain(`    at cell ${count}:1:${columnOf(source, 1, 'bar')}`);
    expect(lines.slice(0, 3)).toEqual([`cell ${count}, line 1:`, `  ${source}`, `  ${' '.repeat(columnOf(source, 1, 'bar') - 1)}^`]);
  });

  it('maps a call on a later line of a cell that also declares (and hoists) a function', async () => {
    const source = 'function twice(x: number): number {\n  return (null as any).foo + x * 2;\n}\nconst a = 1, b = 2;   twice(a + b);';
    const lines = await traceback(source);
    expect(lines).toContain(`    at twice (cell ${count}:2:${columnOf(source, 2, 'foo')})`);
    expect(lines).toContain(`    at cell ${count}:4:${columnOf(source, 4, 'twice')}`);
  });

  it('maps a throw inside the last expression, which the cell wraps to return its value', async () => {
    const source = 'let s: string = "abc";\n[1, 2].map((n) => { if (n > 1) throw new RangeError("too big"); return n; })';
    const lines = await traceback(source);
    expect(lines[0]).toBe(`cell ${count}, line 2:`);
    expect(lines).toContain(`RangeError: too big`);
    expect(lines.some((line) => line.endsWith(`cell ${count}:2:${columnOf(source, 2, 'new RangeError')}`))).toBe(true);
  });

  it('maps a frame in a function a previous cell declared', async () => {
    const declaration = 'function explode(): never {\n    throw new Error("from an earlier cell");\n}';
    await executor.execute(declaration, ++count, new OutputCollector());
    const declaredIn = count;
    const source = 'const before = 1;  explode()';
    const lines = await traceback(source);
    expect(lines).toContain(`    at explode (cell ${declaredIn}:2:${columnOf(declaration, 2, 'new Error')})`);
    expect(lines).toContain(`    at cell ${count}:1:${columnOf(source, 1, 'explode')}`);
  });
});
