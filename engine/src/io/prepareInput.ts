import type { DuckDBConnection } from '@duckdb/node-api';
import type { TaskInput } from '../physical/types.js';
import { jsonBranches, loadCsvInput, type MalformedRows } from './csvInput.js';
import { localCopy } from './localCopy.js';
import { parquetBranches } from './parquetInput.js';
import { emptyRelation } from './partitionProjection.js';
import { requireObjectSize } from './s3Objects.js';
import { s3Client, type S3Config } from './s3Config.js';
import { isS3Url, parseS3Url } from './s3Url.js';
import type { IoContext } from './ioContext.js';

export type FilesInput = Extract<TaskInput, { kind: 'files' }>;

export interface PrepareContext {
  scratchDir: string;
  connection: DuckDBConnection;
  signal?: AbortSignal;
  s3?: S3Config;
  /** Told of rows dropped from CSV files read in 'permissive' mode. */
  onMalformedRows?: (rows: MalformedRows) => void;
}

/**
 * Makes a task's file input readable by its DuckDB and returns SQL usable as `SELECT * FROM <it>`.
 * Local files are read in place. S3 Parquet splits that name row groups fetch only the footer and
 * those row groups (ranged GETs into a sparse local mirror); whole Parquet files and CSV/JSON
 * objects are downloaded whole into the scratch dir. CSV files are loaded into a temporary table
 * `__quire_input_<name>` so malformed rows are detected (see loadCsvInput).
 * The relation has the requested columns (all schema columns when none are given), filtered by
 * `filterSql`; with an empty column list it has one placeholder column `__quire_row`.
 */
export async function prepareInput(input: FilesInput, context: PrepareContext): Promise<string> {
  const ctx: IoContext = { connection: context.connection, scratchDir: context.scratchDir, s3: context.s3, signal: context.signal };
  const requested = input.columns ?? input.schema.fields.map((f) => f.name);
  if (input.files.length === 0) return emptyRelation(requested, input.schema);
  let relation: string;
  if (input.format === 'parquet') {
    relation = unionAll(await parquetBranches(input.files, requested, input.schema, ctx));
  } else {
    const files = [];
    for (const split of input.files) {
      if (split.byteRange) throw new Error(`${split.path}: byte-range splits are not supported for ${input.format}; split by file`);
      files.push({ split, local: isS3Url(split.path) ? await localCopy(split.path, await requireObjectSize(s3Client(ctx.s3), parseS3Url(split.path), ctx.signal), ctx) : split.path });
    }
    relation =
      input.format === 'csv'
        ? await loadCsvInput(input.name, files, requested, input.schema, input.csv, ctx, context.onMalformedRows)
        : unionAll(jsonBranches(files, requested, input.schema));
  }
  return input.filterSql ? `(SELECT * FROM ${relation} WHERE ${input.filterSql})` : relation;
}

function unionAll(branches: string[]): string {
  return branches.length === 1 ? `(${branches[0]})` : `(${branches.join(' UNION ALL ')})`;
}
