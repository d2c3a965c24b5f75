/** The text table show() prints, in PySpark's layout. */
import type { Row } from './rows.js';

function cell(value: unknown, truncate: number): string {
  let text: string;
  if (value === null || value === undefined) text = 'NULL';
  else if (value instanceof Date) text = value.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '').replace(/ 00:00:00$/, '');
  else if (typeof value === 'object') text = JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
  else text = String(value);
  return truncate > 0 && text.length > truncate ? `${text.slice(0, truncate - 3)}...` : text;
}

export function formatTable(columns: string[], rows: Row[], options: { truncate: number; moreRows: boolean }): string {
  const cells = rows.map((r) => columns.map((c) => cell(r[c], options.truncate)));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i]!.length)));
  const line = `+${widths.map((w) => '-'.repeat(w)).join('+')}+`;
  const format = (values: string[]) => `|${values.map((v, i) => v.padStart(widths[i]!)).join('|')}|`;
  const out = [line, format(columns), line, ...cells.map(format), line];
  if (options.moreRows) out.push(`only showing top ${rows.length} row${rows.length === 1 ? '' : 's'}`);
  return out.join('\n');
}
