import { tableFromArrays } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { scaleDecimal, tableRows } from './arrow-rows.js';

describe('arrow rows', () => {
  it('puts the scale back into unscaled decimals', () => {
    expect(scaleDecimal('12345', 2)).toBe('123.45');
    expect(scaleDecimal('-5', 2)).toBe('-0.05');
    expect(scaleDecimal('7', 0)).toBe('7');
  });

  it('turns bigints into text for tables and numbers for charts', () => {
    const table = tableFromArrays({ n: new BigInt64Array([1n, 20n]), s: ['a', 'b'] });
    expect(tableRows(table, 'text')).toEqual([{ n: '1', s: 'a' }, { n: '20', s: 'b' }]);
    expect(tableRows(table, 'json')).toEqual([{ n: 1, s: 'a' }, { n: 20, s: 'b' }]);
  });
});
