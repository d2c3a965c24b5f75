/**
 * Arrow rows as plain objects. Arrow hands DECIMAL values over unscaled (12345 for 123.45 at scale 2) and
 * 64-bit integers as bigint: here decimals get their scale back, and for JSON (charts) both become numbers.
 */
import { DataType, type Decimal, type Table } from 'apache-arrow';

export type RowMode = 'text' | 'json';

export function tableRows(table: Table, mode: RowMode): Record<string, unknown>[] {
  const fields = table.schema.fields;
  const rows: Record<string, unknown>[] = [];
  for (const row of table) {
    const out: Record<string, unknown> = {};
    for (const field of fields) {
      const value: unknown = (row as Record<string, unknown> | null)?.[field.name];
      out[field.name] = convert(value, field.type, mode);
    }
    rows.push(out);
  }
  return rows;
}

function convert(value: unknown, type: DataType, mode: RowMode): unknown {
  if (value === null || value === undefined) return null;
  if (DataType.isDecimal(type)) {
    const text = scaleDecimal(String(value), (type as Decimal).scale);
    return mode === 'json' ? Number(text) : text;
  }
  if (typeof value === 'bigint') return mode === 'json' ? Number(value) : value.toString();
  if (value instanceof Date) return value.toISOString();
  if (DataType.isTimestamp(type) || DataType.isDate(type)) return new Date(Number(value)).toISOString();
  return value;
}

/** '12345' at scale 2 -> '123.45'; '-5' at scale 2 -> '-0.05'. */
export function scaleDecimal(unscaled: string, scale: number): string {
  if (scale <= 0) return unscaled;
  const negative = unscaled.startsWith('-');
  const digits = (negative ? unscaled.slice(1) : unscaled).padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
}
