/** Registers a task's inputs in its DuckDB connection as temporary views or tables. */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ResolvedInput } from '../cluster/protocol.js';
import type { StageView } from '../physical/types.js';
import type { MalformedRows } from '../io/csvInput.js';
import { prepareInput } from '../io/prepareInput.js';
import type { S3Config } from '../io/s3Config.js';
import { emptyRelationSql } from './sql-text.js';
import { quoteIdent, quoteStringList } from '../plan/sql-quote.js';
import { loadValuesInput } from './values-input.js';

/** What reading file inputs needs from the worker running the task. */
export interface InputContext {
  /** Where S3 objects are mirrored and downloaded. */
  scratchDir: string;
  s3?: S3Config;
  signal?: AbortSignal;
  /** Told of rows dropped from CSV files read in 'permissive' mode. */
  onMalformedRows?: (rows: MalformedRows) => void;
}

export async function registerInputs(connection: DuckDBConnection, inputs: ResolvedInput[], context: InputContext): Promise<void> {
  const seen = new Set<string>();
  for (const input of inputs) {
    if (seen.has(input.name)) throw new Error(`two task inputs are both named '${input.name}'`);
    seen.add(input.name);
    switch (input.kind) {
      case 'files': {
        const relation = await prepareInput(input, { ...context, connection });
        await createView(connection, input.name, `SELECT * FROM ${relation}`);
        break;
      }
      case 'values':
        await loadValuesInput(connection, input);
        break;
      case 'exchangeFiles': {
        // Hash exchange files sit in `__quire_partition=N/` directories: DuckDB must not turn that into a column.
        const source = input.files.length
          ? `SELECT * FROM read_parquet(${quoteStringList(input.files)}, hive_partitioning = false)`
          : emptyRelationSql(input.schema);
        await createView(connection, input.name, input.filterSql ? `SELECT * FROM (${source}) WHERE ${input.filterSql}` : source);
        break;
      }
    }
  }
}

/** A task's own views over its inputs (a small upstream stage run inside this task), in order. */
export async function createStageViews(connection: DuckDBConnection, views: readonly StageView[]): Promise<void> {
  for (const view of views) await createView(connection, view.name, view.sql);
}

async function createView(connection: DuckDBConnection, name: string, sql: string): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP VIEW ${quoteIdent(name)} AS ${sql}`);
}
