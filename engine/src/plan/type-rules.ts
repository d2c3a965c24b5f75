/**
 * DuckDB's typing rules, restated so a DataFrame knows its result types while it is built. They
 * follow what DuckDB 1.5 binds (checked by type-rules.test.ts against DuckDB itself).
 */
import { AnalysisError } from './errors.js';
import type { DataType } from './types.js';

export type TypeCategory =
  | 'integer' | 'decimal' | 'float' | 'string' | 'boolean' | 'date' | 'timestamp' | 'time' | 'interval' | 'null' | 'other';

/** The type of an untyped NULL literal; it fits anywhere. */
export const NULL_TYPE = 'NULL';

const INTEGER_RANK = ['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT'];
const UNSIGNED = ['UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT'];
/** Decimal digits each integer type needs, as DuckDB uses when mixing integers with decimals. */
const INTEGER_DIGITS: Record<string, number> = { TINYINT: 3, SMALLINT: 5, INTEGER: 10, BIGINT: 19, HUGEINT: 38, UTINYINT: 3, USMALLINT: 5, UINTEGER: 10, UBIGINT: 20, UHUGEINT: 38 };

export function normalizeType(type: DataType): DataType {
  const upper = type.trim().toUpperCase();
  const aliases: Record<string, string> = {
    INT: 'INTEGER', INT4: 'INTEGER', INT8: 'BIGINT', LONG: 'BIGINT', SHORT: 'SMALLINT', INT2: 'SMALLINT', INT1: 'TINYINT',
    STRING: 'VARCHAR', TEXT: 'VARCHAR', BOOL: 'BOOLEAN', FLOAT8: 'DOUBLE', FLOAT4: 'FLOAT', REAL: 'FLOAT',
    DATETIME: 'TIMESTAMP', TIMESTAMPTZ: 'TIMESTAMP WITH TIME ZONE', NUMERIC: 'DECIMAL(18,3)', DECIMAL: 'DECIMAL(18,3)',
  };
  return aliases[upper] ?? upper.replace(/\s*,\s*/g, ',');
}

export function categoryOf(type: DataType): TypeCategory {
  const t = normalizeType(type);
  if (t === NULL_TYPE) return 'null';
  if (INTEGER_RANK.includes(t) || UNSIGNED.includes(t)) return 'integer';
  if (t.startsWith('DECIMAL')) return 'decimal';
  if (t === 'FLOAT' || t === 'DOUBLE') return 'float';
  if (t === 'VARCHAR' || t.startsWith('VARCHAR(')) return 'string';
  if (t === 'BOOLEAN') return 'boolean';
  if (t === 'DATE') return 'date';
  if (t.startsWith('TIMESTAMP')) return 'timestamp';
  if (t.startsWith('TIME')) return 'time';
  if (t === 'INTERVAL') return 'interval';
  return 'other';
}

export function isNumeric(type: DataType): boolean {
  const c = categoryOf(type);
  return c === 'integer' || c === 'decimal' || c === 'float' || c === 'null';
}

export function parseDecimal(type: DataType): { precision: number; scale: number } | undefined {
  const m = /^DECIMAL\((\d+),(\d+)\)$/.exec(normalizeType(type));
  return m ? { precision: Number(m[1]), scale: Number(m[2]) } : undefined;
}

function asDecimal(type: DataType): { precision: number; scale: number } {
  return parseDecimal(type) ?? { precision: INTEGER_DIGITS[normalizeType(type)] ?? 18, scale: 0 };
}

function decimal(precision: number, scale: number): DataType {
  return `DECIMAL(${Math.min(precision, 38)},${scale})`;
}

/** The wider of two numeric types, as DuckDB picks for `+`, `-`, comparisons and COALESCE. */
export function widerNumeric(a: DataType, b: DataType): DataType {
  const [ta, tb] = [normalizeType(a), normalizeType(b)];
  const [ca, cb] = [categoryOf(ta), categoryOf(tb)];
  if (ca === 'null') return tb === NULL_TYPE ? 'INTEGER' : tb;
  if (cb === 'null') return ta;
  if (ta === tb) return ta;
  if (ca === 'float' && cb === 'float') return ta === 'DOUBLE' || tb === 'DOUBLE' ? 'DOUBLE' : 'FLOAT';
  if (ca === 'float') return ta;
  if (cb === 'float') return tb;
  if (ca === 'decimal' || cb === 'decimal') {
    const [da, db] = [asDecimal(ta), asDecimal(tb)];
    const scale = Math.max(da.scale, db.scale);
    return decimal(Math.max(da.precision - da.scale, db.precision - db.scale) + scale, scale);
  }
  const rank = (t: string) => Math.max(INTEGER_RANK.indexOf(t), UNSIGNED.indexOf(t) + 1);
  return rank(ta) >= rank(tb) ? ta : tb;
}

/** Result type of a binary arithmetic operator, or an error naming both operands. */
export function arithmeticType(op: string, a: DataType, b: DataType, describe: () => string): DataType {
  const [ca, cb] = [categoryOf(a), categoryOf(b)];
  if (isNumeric(a) && isNumeric(b)) {
    if (op === '/') return 'DOUBLE';
    const wide = widerNumeric(a, b);
    if (categoryOf(wide) !== 'decimal') return wide;
    const [da, db] = [asDecimal(a), asDecimal(b)];
    if (op === '+' || op === '-') {
      const scale = Math.max(da.scale, db.scale);
      return decimal(Math.max(da.precision - da.scale, db.precision - db.scale) + scale + 1, scale);
    }
    if (op === '*') {
      const sum = da.precision + db.precision;
      return decimal(sum <= 18 ? sum : Math.max(da.precision, db.precision) <= 18 ? 18 : 38, da.scale + db.scale);
    }
    return wide;
  }
  if (ca === 'date' && cb === 'integer' && (op === '+' || op === '-')) return 'DATE';
  if (ca === 'integer' && cb === 'date' && op === '+') return 'DATE';
  if (ca === 'date' && cb === 'date' && op === '-') return 'BIGINT';
  if ((ca === 'date' || ca === 'timestamp') && cb === 'interval' && (op === '+' || op === '-')) return 'TIMESTAMP';
  if (ca === 'timestamp' && cb === 'timestamp' && op === '-') return 'INTERVAL';
  if (ca === 'interval' && cb === 'interval' && (op === '+' || op === '-')) return 'INTERVAL';
  throw new AnalysisError(`type mismatch: cannot apply '${op}' to ${describe()}`);
}

/** Whether DuckDB compares values of these types without an explicit cast. */
export function comparable(a: DataType, b: DataType, bIsLiteral: boolean): boolean {
  const [ca, cb] = [categoryOf(a), categoryOf(b)];
  if (ca === 'null' || cb === 'null' || ca === 'other' || cb === 'other') return true;
  if (isNumeric(a) && isNumeric(b)) return true;
  const temporal = (c: TypeCategory) => c === 'date' || c === 'timestamp';
  if (temporal(ca) && temporal(cb)) return true;
  // A string literal is parsed as the other side's type ('2020-01-01' against a DATE).
  if (cb === 'string' && bIsLiteral) return true;
  return ca === cb;
}

/** The type several values share (CASE branches, COALESCE, UNION), or undefined when they do not fit. */
export function commonType(types: DataType[]): DataType | undefined {
  const known = types.filter((t) => categoryOf(t) !== 'null');
  if (known.length === 0) return types.length ? 'INTEGER' : undefined;
  let result = normalizeType(known[0]!);
  for (const t of known.slice(1)) {
    const n = normalizeType(t);
    if (n === result) continue;
    if (isNumeric(n) && isNumeric(result)) result = widerNumeric(result, n);
    else if (categoryOf(n) === 'date' && categoryOf(result) === 'timestamp') continue;
    else if (categoryOf(n) === 'timestamp' && categoryOf(result) === 'date') result = n;
    else return undefined;
  }
  return result;
}

/** DuckDB's SUM result type. */
export function sumType(type: DataType): DataType | undefined {
  const c = categoryOf(type);
  if (c === 'integer' || c === 'null') return 'HUGEINT';
  if (c === 'float') return 'DOUBLE';
  if (c === 'decimal') return decimal(38, asDecimal(type).scale);
  if (c === 'interval') return 'INTERVAL';
  return undefined;
}
