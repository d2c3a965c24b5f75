/** State shared by one query's translation: the connection, the user's text and the tables in scope. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { LogicalPlan } from '../plan/types.js';
import type { ParsedNode } from './parsed.js';

export interface SqlContext {
  resolveTable(name: string): LogicalPlan | undefined;
  tableNames(): string[];
  /** The driver's DuckDB connection (from openDuckDB), used for parsing and typing only. */
  connection: DuckDBConnection;
}

export interface Translation {
  sql: SqlContext;
  /** The user's query text, for error positions. */
  query: string;
  /** The parsed statement: when it falls back as a whole, the opaque node keeps the user's own text. */
  root?: ParsedNode;
  aggregateFunctions: Set<string>;
  /** Fresh names for subquery relations (`__sq1`, ...). */
  nextId(): number;
}

/** Where a query node is translated: CTEs it can read, and the enclosing query's scope for subqueries. */
export interface QueryEnv {
  t: Translation;
  /** Lower-cased CTE name -> the CTE's plan (already aliased by nothing; FROM aliases it). */
  ctes: Map<string, { name: string; plan: LogicalPlan }>;
}

const aggregateNamesByConnection = new WeakMap<DuckDBConnection, Set<string>>();

/** Names of DuckDB's aggregate functions (a FUNCTION node with one of these names aggregates). */
export async function aggregateFunctionNames(connection: DuckDBConnection): Promise<Set<string>> {
  const cached = aggregateNamesByConnection.get(connection);
  if (cached) return cached;
  const reader = await connection.runAndReadAll(
    "SELECT DISTINCT lower(function_name) AS name FROM duckdb_functions() WHERE function_type = 'aggregate'",
  );
  const names = new Set(reader.getRows().map((row) => String(row[0])));
  aggregateNamesByConnection.set(connection, names);
  return names;
}
