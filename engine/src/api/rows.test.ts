import { Int64, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { tableToRows } from './rows.js';

describe('tableToRows', () => {
  it('reads every batch, keeps nulls, and decodes ASCII and other text alike', () => {
    const first = new Table({ id: vectorFromArray([1n, 2n], new Int64()), name: vectorFromArray(['Zoë', null], new Utf8()) });
    const second = new Table({ id: vectorFromArray([3n, 2n ** 60n], new Int64()), name: vectorFromArray(['plain', ''], new Utf8()) });
    const table = new Table([...first.batches, ...second.batches]);
    expect(table.batches).toHaveLength(2);
    expect(tableToRows(table)).toEqual([
      { id: 1, name: 'Zoë' },
      { id: 2, name: null },
      { id: 3, name: 'plain' },
      { id: 2n ** 60n, name: '' },
    ]);
  });

  it('slices ASCII text of a batch that does not start at its first byte', () => {
    const names = vectorFromArray(['a', 'bb', 'ccc', 'dddd'], new Utf8()).slice(1, 3);
    const ids = vectorFromArray([10n, 20n], new Int64());
    const table = new Table({ id: ids, name: names });
    expect(tableToRows(table)).toEqual([{ id: 10, name: 'bb' }, { id: 20, name: 'ccc' }]);
  });
});
