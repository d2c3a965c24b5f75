/** A task's inputs as relations its SQL reads by name. */
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

/** A relation a task's SQL reads by name. */
export interface TaskRelation {
  name: string;
  sql: string;
}

/**
 * Makes a task's inputs readable and returns them as named relations, in order. Rows that must be
 * loaded first (given rows, CSV files checked for malformed lines) go into temporary tables, which
 * the SQL reads directly; everything else is a relation bound with the task's own query.
 */
export async function prepareTaskInputs(connection: DuckDBConnection, inputs: ResolvedInput[], context: InputContext): Promise<TaskRelation[]> {
  const seen = new Set<string>();
  const relations: TaskRelation[] = [];
  for (const input of inputs) {
    if (seen.has(input.name)) throw new Error(`two task inputs are both named '${input.name}'`);
    seen.add(input.name);
    switch (input.kind) {
      case 'files': {
        const relation = await prepareInput(input, { ...context, connection });
        relations.push({ name: input.name, sql: `SELECT * FROM ${relation}` });
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
        relations.push({ name: input.name, sql: input.filterSql ? `SELECT * FROM (${source}) WHERE ${input.filterSql}` : source });
        break;
      }
    }
  }
  return relations;
}

/**
 * The task's query reading `relations` as common table expressions that DuckDB inlines where they
 * are read, as it would views: one statement binds everything, where a view per input cost a round
 * trip and a bind (and a read of every Parquet footer) of its own.
 */
export function withRelations(sql: string, relations: readonly (TaskRelation | StageView)[]): string {
  if (relations.length === 0) return sql;
  const definitions = relations.map((r) => `${quoteIdent(r.name)} AS NOT MATERIALIZED (${r.sql})`).join(', ');
  const own = /^\s*WITH\s+(RECURSIVE\s+)?/i.exec(sql);
  if (!own) return `WITH ${definitions} ${sql}`;
  return `WITH ${own[1] ? 'RECURSIVE ' : ''}${definitions}, ${sql.slice(own[0].length)}`;
}
