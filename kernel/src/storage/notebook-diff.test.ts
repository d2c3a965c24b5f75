import { describe, expect, it } from 'vitest';
import { diffNotebooks, formatDiff } from './notebook-diff.js';

const cell = (id: string, source: string, outputs: unknown[] = []) => ({ id, cell_type: 'code', metadata: {}, source, outputs, execution_count: null });

describe('diffNotebooks', () => {
  it('matches cells by id and reports added, removed, modified and unchanged in order', () => {
    const before = { cells: [cell('a', 'x = 1'), cell('b', 'y = 2'), cell('c', 'z')] };
    const after = { cells: [cell('a', 'x = 1'), cell('c', 'z', [{ output_type: 'stream', name: 'stdout', text: '1' }]), cell('d', 'new')] };
    const changes = diffNotebooks(before, after);
    expect(changes.map((c) => [c.id, c.change, c.fields])).toEqual([
      ['a', 'unchanged', undefined],
      ['b', 'removed', undefined],
      ['c', 'modified', ['outputs']],
      ['d', 'added', undefined],
    ]);
    expect(formatDiff(changes)).toContain('- [code b] removed\n    - y = 2');
  });
});
