import type { CsvOptions, FileFormat, Schema } from '../plan/types.js';
import { branchSelectList, dataFields, NO_COLUMNS_PLACEHOLDER } from './partitionProjection.js';
import { columnsArgument, DEFAULT_CSV_OPTIONS, readFilesSql } from './scanSql.js';
import { quoteIdent } from '../plan/sql-quote.js';
import type { FileSplit } from './splitFiles.js';
import type { IoContext } from './ioContext.js';

export interface MalformedRows {
  file: string;
  count: number;
  firstLine: number;
  firstError: string;
}

/**
 * Reads a split's CSV files into a temporary table named after the input, checking every row in
 * every column, and returns the requested columns of it.
 * DuckDB reads with `ignore_errors` and `store_rejects`, so malformed rows land in a rejects table
 * with their file and line: in 'failfast' mode the first one becomes an error naming the file and
 * line; in 'permissive' mode they are dropped and counted per file through `onMalformedRows`.
 * The resolved schema is always passed explicitly so every task reads the same types.
 */
export async function loadCsvInput(
  inputName: string,
  files: { split: FileSplit; local: string }[],
  requested: string[],
  schema: Schema,
  csvOptions: CsvOptions | undefined,
  ctx: IoContext,
  onMalformedRows?: (rows: MalformedRows) => void,
): Promise<string> {
  const table = quoteIdent(`__quire_input_${inputName}`);
  const rejects = `__quire_rejects_${inputName}`.replace(/\W/g, '_');
  const scans = `__quire_scans_${inputName}`.replace(/\W/g, '_');
  const csv = { ...DEFAULT_CSV_OPTIONS, ...csvOptions };
  const allColumns = schema.fields.map((f) => f.name);
  const branches = files.map(({ split, local }) => {
    const partitionValues = split.partitionValues ?? {};
    // Without the file's own columns (a source not resolved by resolveSource), the planned data columns are the best guess.
    const fileCsv = { ...csv, schema: csv.schema ?? dataFields(schema, partitionValues) };
    const read = readFilesSql('csv', [local], fileCsv, [
      'ignore_errors = true',
      'store_rejects = true',
      `rejects_table = '${rejects}'`,
      `rejects_scan = '${scans}'`,
    ]);
    // Every column, not only the requested ones: DuckDB checks only the columns it converts, so a
    // row malformed in a column this query skips would otherwise pass (and count() would count it).
    return `SELECT ${branchSelectList(allColumns, schema, partitionValues)} FROM ${read}`;
  });
  await ctx.connection.run(`CREATE OR REPLACE TEMP TABLE ${table} AS ${branches.join(' UNION ALL ')}`);
  const originalOf = new Map(files.map(({ split, local }) => [local, split.path]));
  const reader = await ctx.connection.runAndReadAll(
    `SELECT s.file_path, count(*) AS n, min(r.line) AS first_line, arg_min(r.error_message, r.line) AS first_error
       FROM ${rejects} r JOIN ${scans} s USING (scan_id, file_id)
      GROUP BY s.file_path ORDER BY s.file_path`,
  );
  const malformed = reader.getRowObjectsJson().map((row) => ({
    file: originalOf.get(String(row.file_path)) ?? String(row.file_path),
    count: Number(row.n),
    firstLine: Number(row.first_line),
    firstError: String(row.first_error),
  }));
  await ctx.connection.run(`DROP TABLE IF EXISTS ${rejects}; DROP TABLE IF EXISTS ${scans}`);
  if (malformed.length > 0 && csv.mode === 'failfast') {
    const first = malformed[0];
    await ctx.connection.run(`DROP TABLE IF EXISTS ${table}`);
    throw new Error(
      `malformed CSV row in ${first.file} at line ${first.firstLine}: ${first.firstError}` +
        ` (read with mode 'permissive' to drop such rows)`,
    );
  }
  for (const rows of malformed) onMalformedRows?.(rows);
  return `(SELECT ${requestedColumns(requested)} FROM ${table})`;
}

function requestedColumns(requested: string[]): string {
  return requested.length === 0 ? `true AS ${quoteIdent(NO_COLUMNS_PLACEHOLDER)}` : requested.map(quoteIdent).join(', ');
}

/** A JSON split read with the resolved column types; DuckDB's own errors name the file. */
export function jsonBranches(files: { split: FileSplit; local: string }[], requested: string[], schema: Schema): string[] {
  return files.map(({ split, local }) => {
    const partitionValues = split.partitionValues ?? {};
    const read = readFilesSql('json' satisfies FileFormat, [local], undefined, [columnsArgument(dataFields(schema, partitionValues))]);
    return `SELECT ${branchSelectList(requested, schema, partitionValues)} FROM ${read}`;
  });
}
