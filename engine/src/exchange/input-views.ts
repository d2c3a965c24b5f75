/** Registers a task's inputs in its DuckDB connection as temporary views or tables. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ResolvedInput } from '../cluster/protocol.js';
import { fileInputSql } from './file-input.js';
import { emptyRelationSql, quoteIdent, stringList } from './sql-text.js';
import { loadValuesInput } from './values-input.js';

export async function registerInputs(connection: DuckDBConnection, inputs: ResolvedInput[]): Promise<void> {
  const seen = new Set<string>();
  for (const input of inputs) {
    if (seen.has(input.name)) throw new Error(`two task inputs are both named '${input.name}'`);
    seen.add(input.name);
    switch (input.kind) {
      case 'files':
        await createView(connection, input.name, await fileInputSql(connection, input));
        break;
      case 'values':
        await loadValuesInput(connection, input);
        break;
      case 'exchangeFiles': {
        const source = input.files.length
          ? `SELECT * FROM read_parquet(${stringList(input.files)})`
          : emptyRelationSql(input.schema);
        await createView(connection, input.name, input.filterSql ? `SELECT * FROM (${source}) WHERE ${input.filterSql}` : source);
        break;
      }
    }
  }
}

async function createView(connection: DuckDBConnection, name: string, sql: string): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP VIEW ${quoteIdent(name)} AS ${sql}`);
}
