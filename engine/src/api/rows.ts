/**
 * Arrow results as plain JavaScript rows: integers become numbers while they are exact (bigint
 * beyond 2^53), decimals numbers, dates and timestamps Date objects.
 */
import { DataType, type Table } from 'apache-arrow';

export type Row = Record<string, unknown>;

function converter(type: DataType): (value: unknown) => unknown {
  if (DataType.isInt(type) && type.bitWidth === 64) {
    return (v) => (typeof v === 'bigint' && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v);
  }
  if (DataType.isDecimal(type)) {
    const scale = 10 ** type.scale;
    return (v) => (v === null ? null : decimalNumber(v, type.scale, scale));
  }
  if (DataType.isDate(type) || DataType.isTimestamp(type)) return (v) => (v === null ? null : new Date(Number(v)));
  return (v) => v;
}

/** apache-arrow yields a Decimal cell as a 128-bit word array; its number value is unscaled / 10^scale. */
function decimalNumber(value: unknown, scale: number, factor: number): number {
  const words = value as Uint32Array;
  if (!(words instanceof Uint32Array)) return Number(value) / factor;
  let unscaled = 0n;
  for (let i = words.length - 1; i >= 0; i--) unscaled = (unscaled << 32n) | BigInt(words[i]!);
  const bits = BigInt(words.length * 32);
  if (unscaled >> (bits - 1n)) unscaled -= 1n << bits;
  return scale === 0 ? Number(unscaled) : Number(unscaled) / factor;
}

export function tableToRows(table: Table): Row[] {
  const fields = table.schema.fields;
  const columns = fields.map((f, i) => ({ name: f.name, vector: table.getChildAt(i)!, convert: converter(f.type) }));
  const rows: Row[] = [];
  for (let r = 0; r < table.numRows; r++) {
    const row: Row = {};
    for (const c of columns) {
      const value = c.vector.get(r);
      row[c.name] = value === null || value === undefined ? null : c.convert(value);
    }
    rows.push(row);
  }
  return rows;
}
