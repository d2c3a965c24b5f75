/**
 * Small queries (DESCRIBE, parse-tree JSON, footer metadata) read in one trip to DuckDB's thread.
 * `runAndReadAll` costs three or more: it runs the query, then fetches chunk after chunk until an
 * empty one. A materialized result's chunks are already in memory and can be read synchronously,
 * which on a loaded machine saves milliseconds per call: the driver makes several calls per query.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';

export interface QueryRows {
  columnNames: string[];
  rows: DuckDBValue[][];
}

/** Runs one statement without parameters and returns every row. */
export async function queryRows(connection: DuckDBConnection, sql: string): Promise<QueryRows> {
  const result = await connection.run(sql);
  const rows: DuckDBValue[][] = [];
  for (let index = 0; index < result.chunkCount; index++) {
    for (const row of result.getChunk(index).getRows()) rows.push(row);
  }
  return { columnNames: result.columnNames(), rows };
}

/** The column of `result` named `name`; an internal error when DuckDB answered without it. */
export function columnIndex(result: QueryRows, name: string): number {
  const index = result.columnNames.indexOf(name);
  if (index < 0) throw new Error(`internal: DuckDB's answer has no column ${name} (columns: ${result.columnNames.join(', ')})`);
  return index;
}
