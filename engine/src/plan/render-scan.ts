/**
 * File scans as DuckDB table functions (read_parquet / read_csv / read_json).
 *
 * Hive partition values are taken from each file's `partitionValues`, not parsed from its path, so
 * a file fetched to a local cache (or split by row groups) keeps its partition columns.
 */
import { checkTypeName, quoteIdent, quoteString, renderExpr } from './render-expr.js';
import type { CsvOptions, Expr, Field, FileFormat, LogicalPlan, Schema } from './types.js';

/** The value Hive writes for a NULL partition key. */
const HIVE_NULL = '__HIVE_DEFAULT_PARTITION__';

export interface FileRead {
  format: FileFormat;
  paths: string[];
  csv?: CsvOptions;
}

/** `read_parquet([...])` etc. over `paths`, with the reader options the format needs. */
export function renderFileRead(read: FileRead): string {
  if (read.paths.length === 0) throw new Error('renderFileRead: no files to read');
  const list = `[${read.paths.map(quoteString).join(', ')}]`;
  switch (read.format) {
    case 'parquet':
      return `read_parquet(${list}, hive_partitioning = false, union_by_name = true)`;
    case 'json':
      return `read_json(${list}, hive_partitioning = false, union_by_name = true)`;
    case 'csv': {
      const csv = read.csv;
      if (!csv) throw new Error('renderFileRead: a CSV read needs csv options');
      if (csv.delimiter.length === 0) throw new Error('CSV delimiter must not be empty');
      const options = [`header = ${csv.header}`, `delim = ${quoteString(csv.delimiter)}`, 'hive_partitioning = false'];
      if (csv.schema && csv.schema.length > 0) {
        const columns = csv.schema.map((f) => `${quoteString(f.name)}: ${quoteString(checkTypeName(f.type))}`);
        options.push(`columns = {${columns.join(', ')}}`);
      } else if (!csv.inferSchema) {
        options.push('all_varchar = true');
      }
      if (csv.mode === 'permissive') options.push('ignore_errors = true');
      else if (csv.mode !== 'failfast') throw new Error(`unknown CSV mode ${JSON.stringify(csv.mode)}`);
      return `read_csv(${list}, ${options.join(', ')})`;
    }
    default:
      throw new Error(`unknown file format ${JSON.stringify(read.format)}`);
  }
}

export interface ScanQueryInput {
  format: FileFormat;
  files: { path: string; partitionValues?: Record<string, string> }[];
  /** Output schema of the scan (file columns and partition columns). */
  schema: Schema;
  partitionColumns: Field[];
  csv?: CsvOptions;
  /** Output columns, in order; all of `schema` when absent. */
  columns?: string[];
  filters: Expr[];
}

/**
 * A complete query reading the files: partition columns attached, filters applied, then the
 * projection. CSV and JSON columns are cast to the schema's types so that every split of a scan
 * yields the same types even though DuckDB infers them per call.
 */
export function renderScan(input: ScanQueryInput): string {
  const fieldsByName = new Map(input.schema.fields.map((f) => [f.name, f]));
  const columns = input.columns ?? input.schema.fields.map((f) => f.name);
  for (const name of columns) {
    if (!fieldsByName.has(name)) throw new Error(`scan projection names unknown column ${JSON.stringify(name)}`);
  }
  const partitionNames = new Set(input.partitionColumns.map((f) => f.name));
  // Partition columns are typed where they are attached, so filters compare them at their type.
  const castFileColumns = input.format !== 'parquet';
  const select = columns.map((name) => {
    const field = fieldsByName.get(name)!;
    return castFileColumns && !partitionNames.has(name)
      ? `CAST(${quoteIdent(name)} AS ${checkTypeName(field.type)}) AS ${quoteIdent(name)}`
      : quoteIdent(name);
  });
  const column = { column: (name: string) => quoteIdent(name) };
  const where = input.filters.length > 0 ? ` WHERE ${input.filters.map((f) => renderExpr(f, column)).join(' AND ')}` : '';
  if (input.files.length === 0) {
    const nulls = columns.map((name) => `CAST(NULL AS ${fieldsByName.get(name)!.type}) AS ${quoteIdent(name)}`);
    return `SELECT ${nulls.join(', ')} LIMIT 0`;
  }
  return `SELECT ${select.join(', ')} FROM (${filesWithPartitionColumns(input)}) AS "scan"${where}`;
}

/** The files' rows with one column per partition key, grouping files that share partition values. */
function filesWithPartitionColumns(input: ScanQueryInput): string {
  if (input.partitionColumns.length === 0) {
    return `SELECT * FROM ${renderFileRead({ format: input.format, paths: input.files.map((f) => f.path), csv: input.csv })}`;
  }
  const groups = new Map<string, { values: (string | null)[]; paths: string[] }>();
  for (const file of input.files) {
    const values = input.partitionColumns.map((c) => {
      const v = file.partitionValues?.[c.name];
      if (v === undefined) throw new Error(`file ${file.path} has no value for partition column ${JSON.stringify(c.name)}`);
      return v === HIVE_NULL ? null : v;
    });
    const key = JSON.stringify(values);
    const group = groups.get(key) ?? { values, paths: [] };
    group.paths.push(file.path);
    groups.set(key, group);
  }
  const parts = [...groups.values()].map(({ values, paths }) => {
    const partitionItems = input.partitionColumns.map(
      (c, i) => `CAST(${values[i] === null ? 'NULL' : quoteString(values[i]!)} AS ${checkTypeName(c.type)}) AS ${quoteIdent(c.name)}`,
    );
    return `SELECT *, ${partitionItems.join(', ')} FROM ${renderFileRead({ format: input.format, paths, csv: input.csv })}`;
  });
  return parts.join(' UNION ALL BY NAME ');
}

/** A logical scan node as a query. */
export function renderScanQuery(plan: Extract<LogicalPlan, { op: 'scan' }>): string {
  return renderScan({
    format: plan.source.format,
    files: plan.source.files,
    schema: plan.schema,
    partitionColumns: plan.source.partitionColumns,
    csv: plan.source.csv,
    columns: plan.projection,
    filters: plan.filters,
  });
}
