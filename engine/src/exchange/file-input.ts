/**
 * Turns a `files` task input into a DuckDB relation for local paths. This is the seam the IO module
 * replaces (s3:// URLs, byte ranges of CSV files); until then anything but a local file is refused.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TaskInput } from '../physical/types.js';
import { emptyRelationSql, quoteIdent, quoteString } from './sql-text.js';

type FilesInput = Extract<TaskInput, { kind: 'files' }>;

export async function fileInputSql(connection: DuckDBConnection, input: FilesInput): Promise<string> {
  for (const file of input.files) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(file.path)) {
      throw new Error(`input '${input.name}': ${file.path} is not a local path; remote files need the IO module's reader`);
    }
    if (file.byteRange) throw new Error(`input '${input.name}': byte ranges (${file.path}) are not supported by the local file reader`);
    if (file.rowGroups && input.format !== 'parquet') {
      throw new Error(`input '${input.name}': rowGroups given for ${input.format} file ${file.path}; only Parquet has row groups`);
    }
  }
  if (input.files.length === 0) return emptyRelationSql(input.schema);
  const perFile = await Promise.all(input.files.map((file) => oneFileSql(connection, input, file)));
  return perFile.map((sql) => `(${sql})`).join(' UNION ALL BY NAME ');
}

async function oneFileSql(connection: DuckDBConnection, input: FilesInput, file: FilesInput['files'][number]): Promise<string> {
  const partitionColumns = Object.entries(file.partitionValues ?? {}).map(([name, value]) => {
    const field = input.schema.fields.find((f) => f.name === name);
    if (!field) throw new Error(`input '${input.name}': partition column '${name}' of ${file.path} is not in the input schema`);
    return `CAST(${quoteString(value)} AS ${field.type}) AS ${quoteIdent(name)}`;
  });
  const conditions: string[] = [];
  if (file.rowGroups) conditions.push(await rowGroupCondition(connection, file.path, file.rowGroups));
  if (input.filterSql) conditions.push(`(${input.filterSql})`);
  const wanted = input.columns ?? input.schema.fields.map((f) => f.name);
  // A relation needs a column even when the query reads none (count(*)).
  const select = wanted.length ? wanted.map(quoteIdent).join(', ') : 'NULL AS __quire_no_columns';
  // The filter may name partition columns, so it applies after they are added.
  const inner = `SELECT *${partitionColumns.length ? ', ' + partitionColumns.join(', ') : ''} FROM ${reader(input, file.path, Boolean(file.rowGroups))}`;
  return `SELECT ${select} FROM (${inner})${conditions.length ? ' WHERE ' + conditions.join(' AND ') : ''}`;
}

function reader(input: FilesInput, path: string, withRowNumbers: boolean): string {
  switch (input.format) {
    case 'parquet':
      return `read_parquet(${quoteString(path)}${withRowNumbers ? ', file_row_number = true' : ''})`;
    case 'json':
      return `read_json(${quoteString(path)}, columns = ${columnsStruct(input)})`;
    case 'csv': {
      const csv = input.csv;
      const options = [`header = ${csv?.header ?? true}`, `columns = ${columnsStruct(input, csv?.schema)}`];
      if (csv?.delimiter) options.push(`delim = ${quoteString(csv.delimiter)}`);
      if (csv?.mode === 'permissive') options.push('ignore_errors = true');
      return `read_csv(${quoteString(path)}, ${options.join(', ')})`;
    }
  }
}

/** CSV and JSON are read with the planned types so every task sees the same schema. */
function columnsStruct(input: FilesInput, fileFields = input.schema.fields): string {
  const partitionNames = new Set(input.files.flatMap((f) => Object.keys(f.partitionValues ?? {})));
  const fields = fileFields.filter((f) => !partitionNames.has(f.name));
  return `{${fields.map((f) => `${quoteString(f.name)}: ${quoteString(f.type)}`).join(', ')}}`;
}

/**
 * Row groups become file_row_number ranges: DuckDB pushes that filter into the Parquet scan and
 * skips the other row groups (checked: a one-row-group range reads ~1/40th of a 40-group file).
 */
async function rowGroupCondition(connection: DuckDBConnection, path: string, rowGroups: number[]): Promise<string> {
  const reader = await connection.runAndReadAll(
    `SELECT row_group_id, any_value(row_group_num_rows) FROM parquet_metadata(${quoteString(path)}) GROUP BY row_group_id ORDER BY row_group_id`,
  );
  const sizes = reader.getRows().map((row) => Number(row[1]));
  const starts: number[] = [];
  sizes.reduce((start, size, i) => ((starts[i] = start), start + size), 0);
  const ranges = rowGroups.map((group) => {
    if (!Number.isInteger(group) || group < 0 || group >= sizes.length) {
      throw new Error(`row group ${group} does not exist in ${path} (it has ${sizes.length})`);
    }
    return `(file_row_number >= ${starts[group]} AND file_row_number < ${starts[group]! + sizes[group]!})`;
  });
  return ranges.length ? `(${ranges.join(' OR ')})` : 'false';
}
