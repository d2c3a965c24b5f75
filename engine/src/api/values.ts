/** createDataFrame(): JavaScript rows or an Arrow table as a `values` plan node (Arrow IPC, base64). */
import {
  Bool, DataType, DateDay, type Dictionary, Float64, Int64, Table, TimestampMillisecond, Utf8, tableToIPC, vectorFromArray, type Vector,
} from 'apache-arrow';
import { AnalysisError } from '../plan/errors.js';
import type { Field, LogicalPlan } from '../plan/types.js';

/** The DuckDB type of an Arrow column, or an error naming the column. */
export function duckTypeOfArrow(type: DataType, column: string): string {
  if (DataType.isInt(type)) {
    const names: Record<number, string> = { 8: 'TINYINT', 16: 'SMALLINT', 32: 'INTEGER', 64: 'BIGINT' };
    const name = names[type.bitWidth]!;
    return type.isSigned ? name : `U${name}`;
  }
  if (DataType.isFloat(type)) return type.precision === 0 ? 'FLOAT' : type.precision === 1 ? 'FLOAT' : 'DOUBLE';
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) return 'VARCHAR';
  if (DataType.isBool(type)) return 'BOOLEAN';
  if (DataType.isDate(type)) return 'DATE';
  if (DataType.isTimestamp(type)) return type.timezone ? 'TIMESTAMP WITH TIME ZONE' : 'TIMESTAMP';
  if (DataType.isDecimal(type)) return `DECIMAL(${type.precision},${type.scale})`;
  throw new AnalysisError(`createDataFrame: column '${column}' has Arrow type ${type}, which is not supported (numbers, strings, booleans, dates, timestamps, decimals are)`);
}

/** Dictionary-encoded columns (what tableFromArrays makes of strings) decoded to their value type. */
function decodeDictionaries(table: Table): Table {
  if (!table.schema.fields.some((f) => DataType.isDictionary(f.type))) return table;
  const columns = table.schema.fields.map((f, i) => {
    const vector = table.getChildAt(i)!;
    if (!DataType.isDictionary(f.type)) return [f.name, vector] as const;
    return [f.name, vectorFromArray([...vector], (f.type as Dictionary).dictionary)] as const;
  });
  return new Table(Object.fromEntries(columns));
}

export function valuesFromArrow(given: Table): LogicalPlan {
  const table = decodeDictionaries(given);
  const fields: Field[] = table.schema.fields.map((f) => ({ name: f.name, type: duckTypeOfArrow(f.type, f.name), nullable: f.nullable }));
  if (fields.length === 0) throw new AnalysisError('createDataFrame: the table has no columns');
  const arrowIpcBase64 = Buffer.from(tableToIPC(table, 'stream')).toString('base64');
  return { op: 'values', arrowIpcBase64, schema: { fields }, rowCount: table.numRows };
}

type Kind = 'integer' | 'double' | 'string' | 'boolean' | 'timestamp' | 'date';

function kindOf(value: unknown, column: string, row: number): Kind | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'double';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof Date) return 'timestamp';
  throw new AnalysisError(`createDataFrame: row ${row + 1}, column '${column}' holds ${typeof value === 'object' ? 'an object' : typeof value}; only numbers, bigints, strings, booleans, Dates and null are supported`);
}

function columnVector(name: string, values: unknown[]): Vector {
  const kinds = new Set(values.map((v, i) => kindOf(v, name, i)).filter((k): k is Kind => k !== undefined));
  if (kinds.has('integer') && kinds.has('double')) kinds.delete('integer');
  if (kinds.size > 1) throw new AnalysisError(`createDataFrame: column '${name}' mixes ${[...kinds].join(' and ')} values`);
  const kind = [...kinds][0] ?? 'string';
  switch (kind) {
    case 'integer':
      return vectorFromArray(values.map((v) => (v === null || v === undefined ? null : BigInt(v as number | bigint))), new Int64());
    case 'double':
      return vectorFromArray(values.map((v) => (v === undefined ? null : (v as number | null))), new Float64());
    case 'boolean':
      return vectorFromArray(values.map((v) => (v === undefined ? null : (v as boolean | null))), new Bool());
    case 'timestamp':
      return vectorFromArray(values.map((v) => (v === null || v === undefined ? null : (v as Date).getTime())), new TimestampMillisecond());
    case 'date':
      return vectorFromArray(values as (Date | null)[], new DateDay());
    case 'string':
      return vectorFromArray(values.map((v) => (v === undefined ? null : (v as string | null))), new Utf8());
  }
}

/** Rows as objects; columns in first-seen key order; integers become BIGINT, other numbers DOUBLE. */
export function valuesFromRows(rows: Record<string, unknown>[]): LogicalPlan {
  if (!Array.isArray(rows)) throw new AnalysisError('createDataFrame needs an array of row objects or an Arrow table');
  const names: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) throw new AnalysisError(`createDataFrame: row ${i + 1} is not an object`);
    for (const key of Object.keys(row)) if (!seen.has(key)) (seen.add(key), names.push(key));
  });
  if (names.length === 0) throw new AnalysisError('createDataFrame: no columns (the rows are empty or have no keys)');
  const table = new Table(Object.fromEntries(names.map((n) => [n, columnVector(n, rows.map((r) => r[n] ?? null))])));
  return valuesFromArrow(table);
}
