/**
 * How a DataFrame displays: an HTML table of the first rows with the row count, the same as plain text, and
 * the first rows as an Arrow IPC file (base64) that the app loads into duckdb-wasm for sorting and filtering.
 */
import { tableToIPC, type Table } from 'apache-arrow';
import { tableRows } from './arrow-rows.js';
import type { DisplayBundle } from './bundle.js';
import { escapeHtml } from './html.js';

export const ARROW_MIME = 'application/vnd.apache.arrow.file';

/** The part of the engine's DataFrame that display needs; kept structural so display does not load the engine. */
export interface DisplayableDataFrame {
  limit(n: number): DisplayableDataFrame;
  toArrow(): Promise<Table>;
  count(): Promise<number>;
}

export interface DataFrameDisplayOptions {
  /** Rows shown in the HTML and text tables. */
  htmlRows: number;
  /** Rows sent in the Arrow payload. */
  arrowRows: number;
}

export const DEFAULT_DATAFRAME_DISPLAY: DataFrameDisplayOptions = { htmlRows: 20, arrowRows: 10_000 };

export function isDataFrame(value: unknown): value is DisplayableDataFrame {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<DisplayableDataFrame>;
  return typeof candidate.toArrow === 'function' && typeof candidate.limit === 'function' && typeof candidate.count === 'function';
}

export async function renderDataFrame(df: DisplayableDataFrame, options: DataFrameDisplayOptions): Promise<DisplayBundle> {
  const [table, rowCount] = await Promise.all([df.limit(Math.max(options.arrowRows, options.htmlRows)).toArrow(), df.count()]);
  const columns = table.schema.fields.map((field) => field.name);
  const shown = table.numRows > options.htmlRows ? table.slice(0, options.htmlRows) : table;
  const rows = tableRows(shown, 'text').map((row) => columns.map((name) => formatCell(row[name])));
  const arrowTable = table.numRows > options.arrowRows ? table.slice(0, options.arrowRows) : table;
  return {
    data: {
      'text/plain': textTable(columns, rows, rowCount),
      'text/html': htmlTable(columns, rows, rowCount),
      [ARROW_MIME]: Buffer.from(tableToIPC(arrowTable, 'file')).toString('base64'),
    },
    metadata: { [ARROW_MIME]: { rowCount, arrowRows: arrowTable.numRows } },
  };
}

function formatCell(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}

function rowCountNote(shown: number, total: number): string {
  return shown < total ? `showing ${shown} of ${total} rows` : `${total} row${total === 1 ? '' : 's'}`;
}

export function textTable(columns: string[], rows: string[][], rowCount: number): string {
  const widths = columns.map((name, i) => Math.max(name.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => '| ' + cells.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ') + ' |';
  const rule = '+' + widths.map((w) => '-'.repeat(w + 2)).join('+') + '+';
  return [rule, line(columns), rule, ...rows.map(line), rule, rowCountNote(rows.length, rowCount)].join('\n');
}

export function htmlTable(columns: string[], rows: string[][], rowCount: number): string {
  const head = columns.map((name) => `<th>${escapeHtml(name)}</th>`).join('');
  const body = rows.map((row) => `<tr>${row.map((cell) => `<td>${escapeHtml(cell)}</td>`).join('')}</tr>`).join('');
  return `<table class="quire-dataframe"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table><p>${rowCountNote(rows.length, rowCount)}</p>`;
}
