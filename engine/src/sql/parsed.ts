/**
 * DuckDB's own parser as the SQL frontend's parser: `json_serialize_sql` gives the parse tree as
 * JSON and `json_deserialize_sql` turns (rewritten) trees back into SQL text.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../io/duckdbRows.js';
import { quoteString } from '../plan/sql-quote.js';
import { SqlError } from './errors.js';

/** A node of DuckDB's serialized parse tree (query node, table ref or parsed expression). */
// The tree's shape is DuckDB's and differs per node class; the translator checks `type`/`class` before reading fields.
export type ParsedNode = Record<string, any>;

interface SerializeResult {
  error: boolean;
  error_message?: string;
  error_type?: string;
  position?: string;
  statements?: { node: ParsedNode }[];
}

/**
 * Parses one statement. `shown` is the text the user wrote when `query` wraps it (`SELECT <expr>`):
 * error positions are reported relative to it.
 */
export async function parseQuery(connection: DuckDBConnection, query: string, shown = { text: query, offset: 0 }): Promise<ParsedNode> {
  if (typeof query !== 'string' || query.trim() === '') throw new SqlError('the SQL query is empty');
  // The text as a literal rather than a bound parameter: a prepared statement costs DuckDB three more trips.
  const { rows } = await queryRows(connection, `SELECT json_serialize_sql(${quoteString(query)})`);
  const result = JSON.parse(String(rows[0]![0])) as SerializeResult;
  if (result.error) {
    const message = result.error_message ?? 'the query could not be parsed';
    if (/only SELECT statements/i.test(message)) {
      throw new SqlError('only SELECT queries (optionally with WITH) can be run here; DDL, DML and other statements are not supported');
    }
    const offset = result.position === undefined ? undefined : Number(result.position);
    const kind = result.error_type === 'parser' ? 'SQL syntax error' : 'SQL error';
    throw SqlError.at(`${kind}: ${message}`, shown.text, Number.isFinite(offset) ? Math.max(0, offset! - shown.offset) : undefined);
  }
  const statements = result.statements ?? [];
  if (statements.length !== 1) {
    throw new SqlError(`expected exactly one SQL statement, got ${statements.length}`);
  }
  return statements[0]!.node;
}

/** SQL text for a query node, as DuckDB prints it. */
export async function queryNodeText(connection: DuckDBConnection, node: ParsedNode): Promise<string> {
  // Positions are not needed to print SQL, and DuckDB's "no position" (2^64 - 1) does not survive a JS number.
  const wrapper = JSON.stringify({ error: false, statements: [{ node }] }, (key, value: unknown) => (key === 'query_location' ? undefined : value));
  const { rows } = await queryRows(connection, `SELECT json_deserialize_sql(${quoteString(wrapper)}::JSON)`);
  return String(rows[0]![0]).replace(/;\s*$/, '');
}

/** Calls `visit` on every object in the tree (expressions, table refs, nested query nodes). */
export function walkParsed(node: unknown, visit: (n: ParsedNode) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walkParsed(item, visit);
  } else if (node && typeof node === 'object') {
    visit(node as ParsedNode);
    for (const value of Object.values(node)) walkParsed(value, visit);
  }
}

export function cloneParsed<T>(node: T): T {
  return structuredClone(node);
}

/** Splits a parsed `a AND b AND c` into its conjuncts. */
export function parsedConjuncts(expr: ParsedNode | null | undefined): ParsedNode[] {
  if (!expr) return [];
  if (expr.class === 'CONJUNCTION' && expr.type === 'CONJUNCTION_AND') return (expr.children as ParsedNode[]).flatMap(parsedConjuncts);
  return [expr];
}

export function parsedAnd(conjuncts: ParsedNode[]): ParsedNode | null {
  if (conjuncts.length === 0) return null;
  if (conjuncts.length === 1) return conjuncts[0]!;
  return { class: 'CONJUNCTION', type: 'CONJUNCTION_AND', alias: '', children: conjuncts };
}
