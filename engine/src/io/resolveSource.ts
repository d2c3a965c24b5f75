import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { CsvOptions, Field, FileFormat, FileSource, Schema } from '../plan/types.js';
import { partitionColumns } from './hivePartitions.js';
import { localCopy } from './localCopy.js';
import { ensureMirror } from './s3ParquetCache.js';
import { s3Client, type S3Config } from './s3Config.js';
import { isS3Url } from './s3Url.js';
import { DEFAULT_CSV_OPTIONS, readFilesSql } from './scanSql.js';
import { listSourceFiles, type SourceFile } from './sourceFiles.js';
import type { IoContext } from './ioContext.js';

export interface ResolveOptions {
  csv?: Partial<CsvOptions>;
  s3?: S3Config;
  /** Where S3 footers and CSV/JSON objects are cached while reading schemas. */
  scratchDir?: string;
}

/**
 * Finds the files behind user paths and reads their schema with DuckDB. Every file must have the same
 * columns and types; hive `key=value` directories add partition columns after the data columns.
 */
export async function resolveSource(
  paths: string | string[],
  format: FileFormat,
  options: ResolveOptions,
  connection: DuckDBConnection,
): Promise<FileSource & { schema: Schema }> {
  const given = Array.isArray(paths) ? paths : [paths];
  const ctx: IoContext = { connection, scratchDir: options.scratchDir ?? join(tmpdir(), 'quire-io-cache'), s3: options.s3 };
  const csv = format === 'csv' ? { ...DEFAULT_CSV_OPTIONS, ...options.csv } : undefined;
  const files = await listSourceFiles(given, options.s3);
  const dataFields = csv?.schema ?? (await commonSchema(files, format, csv, ctx));
  const partitions = partitionColumns(files).filter((p) => !dataFields.some((f) => f.name === p.name));
  return {
    format,
    paths: given,
    files,
    partitionColumns: partitions,
    // The inferred columns become explicit: CSV columns are positional, so every task must read all of
    // them with these types (a scan that needs fewer still parses the whole row), and a value that does
    // not fit its column's type is a malformed row rather than a different inferred type per file.
    ...(csv ? { csv: { ...csv, schema: dataFields } } : {}),
    schema: { fields: [...dataFields, ...partitions] },
  };
}

async function commonSchema(files: SourceFile[], format: FileFormat, csv: CsvOptions | undefined, ctx: IoContext): Promise<Field[]> {
  let first: { file: string; fields: Field[] } | undefined;
  for (const file of files) {
    const fields = await describeFile(file, format, csv, ctx);
    if (!first) first = { file: file.path, fields };
    else {
      const difference = schemaDifference(first.fields, fields);
      if (difference) throw new Error(`schemas differ between ${first.file} and ${file.path}: ${difference}`);
    }
  }
  return first!.fields;
}

async function describeFile(file: SourceFile, format: FileFormat, csv: CsvOptions | undefined, ctx: IoContext): Promise<Field[]> {
  const local =
    format === 'parquet' && isS3Url(file.path)
      ? await ensureMirror(s3Client(ctx.s3), file.path, file.size, ctx.scratchDir, [], ctx.signal)
      : await localCopy(file.path, file.size, ctx);
  try {
    const reader = await ctx.connection.runAndReadAll(`DESCRIBE SELECT * FROM ${readFilesSql(format, [local], csv)}`);
    return reader.getRowObjectsJson().map((row) => ({
      name: String(row.column_name),
      type: String(row.column_type),
      nullable: row.null !== 'NO',
    }));
  } catch (error) {
    throw new Error(`cannot read the schema of ${file.path}: ${(error as Error).message}`, { cause: error });
  }
}

/** A sentence naming the first column that differs, or undefined when the schemas agree. */
export function schemaDifference(a: Field[], b: Field[]): string | undefined {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const left = a[i];
    const right = b[i];
    if (!left) return `column ${right.name} (${right.type}) appears only in the second file`;
    if (!right) return `column ${left.name} (${left.type}) appears only in the first file`;
    if (left.name !== right.name) return `column ${i + 1} is ${left.name} in the first file but ${right.name} in the second`;
    if (left.type !== right.type) return `column ${left.name} is ${left.type} in the first file but ${right.type} in the second`;
  }
  return undefined;
}
