import { quoteIdent, quoteLiteral } from './sql-quote.js';

/** The client-side view of a result table: per-column "contains" filters and one sort column. */
export interface TableViewState {
  filters: Record<string, string>;
  sort: { column: string; direction: 'asc' | 'desc' } | null;
}

export function whereClause(filters: Record<string, string>): string {
  const terms = Object.entries(filters)
    .filter(([, text]) => text.trim() !== '')
    .map(([column, text]) => `CAST(${quoteIdent(column)} AS VARCHAR) ILIKE ${quoteLiteral(`%${text.trim()}%`)}`);
  return terms.length ? ` WHERE ${terms.join(' AND ')}` : '';
}

export function orderClause(sort: TableViewState['sort']): string {
  if (!sort) return '';
  return ` ORDER BY ${quoteIdent(sort.column)} ${sort.direction === 'asc' ? 'ASC' : 'DESC'} NULLS LAST`;
}

export function pageQuery(table: string, state: TableViewState, offset: number, limit: number): string {
  return `SELECT * FROM ${quoteIdent(table)}${whereClause(state.filters)}${orderClause(state.sort)} LIMIT ${limit} OFFSET ${offset}`;
}

export function countQuery(table: string, state: TableViewState): string {
  return `SELECT count(*)::DOUBLE AS n FROM ${quoteIdent(table)}${whereClause(state.filters)}`;
}

/** Cell text for a value read back from duckdb-wasm (bigints, dates and nulls included). */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return '∅';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isInteger(value) ? value.toString() : value.toLocaleString(undefined, { maximumFractionDigits: 6 });
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v));
  return String(value);
}
