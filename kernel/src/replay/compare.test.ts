import { describe, expect, it } from 'vitest';
import { compareOutputs } from './compare.js';
import type { Cell } from './notebook.js';

const code = (outputs: unknown[], execution_count: number | null = 1): Cell =>
  ({ cell_type: 'code', source: 'x', metadata: {}, execution_count, outputs }) as Cell;

describe('compareOutputs', () => {
  it('ignores execution counts, metadata and how streams were chunked', () => {
    const saved = [code([{ output_type: 'stream', name: 'stdout', text: ['a\n', 'b\n'] }, { output_type: 'execute_result', execution_count: 7, data: { 'text/plain': '1' }, metadata: { t: 1 } }], 7)];
    const fresh = [code([{ output_type: 'stream', name: 'stdout', text: 'a\n' }, { output_type: 'stream', name: 'stdout', text: 'b\n' }, { output_type: 'execute_result', execution_count: 1, data: { 'text/plain': '1' }, metadata: {} }])];
    expect(compareOutputs(saved, fresh)).toEqual([]);
  });

  it('describes changed, new and missing outputs line by line', () => {
    const saved = [code([{ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': 'a\nb\nc' }, metadata: {} }])];
    const fresh = [code([{ output_type: 'execute_result', execution_count: 1, data: { 'text/plain': 'a\nB\nc' }, metadata: {} }, { output_type: 'error', ename: 'Error', evalue: 'x', traceback: [] }])];
    const [difference] = compareOutputs(saved, fresh);
    expect(difference!.cellIndex).toBe(0);
    expect(difference!.lines).toEqual(['  output 1 (execute_result):', '    text/plain:', '      - b', '      + B', '  output 2: new error Error: x']);
  });
});
