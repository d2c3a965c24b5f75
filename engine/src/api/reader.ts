/**
 * `spark.read`: files as DataFrames. Reading lists the files and reads their schema, which is
 * asynchronous, so each reader returns Promise<DataFrame>; everything built on the DataFrame after
 * that is analyzed synchronously.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { resolveSource } from '../io/resolveSource.js';
import type { S3Config } from '../io/s3Config.js';
import { AnalysisError } from '../plan/errors.js';
import { normalizeType } from '../plan/type-rules.js';
import type { CsvOptions, Field, FileFormat, LogicalPlan } from '../plan/types.js';

export interface CsvReadOptions {
  /** The first line names the columns (default true). */
  header?: boolean;
  delimiter?: string;
  sep?: string;
  /** Let DuckDB infer column types (default true); false reads every column as VARCHAR. */
  inferSchema?: boolean;
  /** Column names and types in file order: `{ carrier: 'VARCHAR', delay: 'INTEGER' }` or a list of fields. */
  schema?: Record<string, string> | Field[];
  /** 'failfast' (default) fails on a malformed row; 'permissive' drops malformed rows. */
  mode?: 'failfast' | 'permissive' | 'FAILFAST' | 'PERMISSIVE';
}

export interface ReaderContext {
  connection: DuckDBConnection;
  scratchDir: string;
  s3?: S3Config;
}

function csvOptions(options: CsvReadOptions): CsvOptions {
  const mode = (options.mode ?? 'failfast').toLowerCase();
  if (mode !== 'failfast' && mode !== 'permissive') throw new AnalysisError(`unknown CSV mode '${options.mode}'; use failfast or permissive`);
  const delimiter = options.delimiter ?? options.sep ?? ',';
  if (delimiter.length === 0) throw new AnalysisError('the CSV delimiter must not be empty');
  const schema = options.schema === undefined
    ? undefined
    : Array.isArray(options.schema)
      ? options.schema
      : Object.entries(options.schema).map(([name, type]) => ({ name, type: normalizeType(type), nullable: true }));
  return { header: options.header ?? true, delimiter, inferSchema: options.inferSchema ?? true, mode, ...(schema ? { schema } : {}) };
}

export class DataFrameReader<DF> {
  constructor(private readonly ctx: ReaderContext & { toDataFrame(plan: LogicalPlan): DF }) {}

  parquet(paths: string | string[]): Promise<DF> {
    return this.read(paths, 'parquet');
  }

  csv(paths: string | string[], options: CsvReadOptions = {}): Promise<DF> {
    return this.read(paths, 'csv', csvOptions(options));
  }

  /** JSON lines: one object per line. */
  json(paths: string | string[]): Promise<DF> {
    return this.read(paths, 'json');
  }

  private async read(paths: string | string[], format: FileFormat, csv?: CsvOptions): Promise<DF> {
    const list = [paths].flat();
    if (list.length === 0 || list.some((p) => typeof p !== 'string' || p === '')) throw new AnalysisError(`read.${format}() needs a path or a list of paths`);
    let source;
    try {
      source = await resolveSource(list, format, { ...(csv ? { csv } : {}), scratchDir: this.ctx.scratchDir, ...(this.ctx.s3 ? { s3: this.ctx.s3 } : {}) }, this.ctx.connection);
    } catch (error) {
      throw new AnalysisError(`cannot read ${format} from ${list.join(', ')}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    const { schema, ...fileSource } = source;
    // Pin a CSV's columns (names, types, file order) as resolved now: every task then reads the same
    // types, and a scan narrowed to some columns still tells the reader the file's full layout.
    if (fileSource.csv && !fileSource.csv.schema) {
      const partitions = new Set(fileSource.partitionColumns.map((f) => f.name));
      fileSource.csv = { ...fileSource.csv, schema: schema.fields.filter((f) => !partitions.has(f.name)) };
    }
    if (schema.fields.length === 0) throw new AnalysisError(`${list.join(', ')} has no columns`);
    return this.ctx.toDataFrame({ op: 'scan', source: fileSource, schema, filters: [] });
  }
}
