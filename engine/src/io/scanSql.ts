import type { CsvOptions, FileFormat } from '../plan/types.js';
import type { Field } from '../plan/types.js';
import { quoteIdent, quoteString, quoteStringList } from '../plan/sql-quote.js';

export const DEFAULT_CSV_OPTIONS: CsvOptions = { header: true, delimiter: ',', inferSchema: true, mode: 'failfast' };

/** DuckDB's read_csv arguments for the given options (header, delimiter, explicit or inferred types). */
export function csvReadArguments(csv: CsvOptions): string {
  const args = [`header = ${csv.header}`, `delim = ${quoteString(csv.delimiter)}`];
  if (csv.schema) {
    args.push(columnsArgument(csv.schema), 'auto_detect = false');
  } else if (!csv.inferSchema) {
    args.push('all_varchar = true');
  }
  return args.join(', ');
}

/** A DuckDB table function call reading local files of one format. */
export function readFilesSql(format: FileFormat, localPaths: string[], csv?: CsvOptions, extraArguments: string[] = []): string {
  const list = quoteStringList(localPaths);
  // Partition columns come from Quire's own listing, so DuckDB must not add its own from the path.
  const extra = ['hive_partitioning = false', ...extraArguments].map((a) => `, ${a}`).join('');
  switch (format) {
    case 'parquet':
      return `read_parquet(${list}${extra})`;
    case 'csv':
      return `read_csv(${list}, ${csvReadArguments(csv ?? DEFAULT_CSV_OPTIONS)}${extra})`;
    case 'json':
      return `read_json(${list}${extra})`;
    default:
      throw new Error(`unsupported file format: ${String(format)}`);
  }
}

export function selectList(columns: string[]): string {
  return columns.map(quoteIdent).join(', ');
}

/** DuckDB's `columns = {...}` struct literal for explicit column names and types. */
export function columnsArgument(fields: Field[]): string {
  return `columns = {${fields.map((f) => `${quoteString(f.name)}: ${quoteString(f.type)}`).join(', ')}}`;
}
