/**
 * The functions users build columns with (PySpark's `pyspark.sql.functions`, camelCased). A string
 * argument names a column, except where PySpark takes a value (patterns, formats, literals).
 */
import { AnalysisError } from '../plan/errors.js';
import type { Expr } from '../plan/types.js';
import { Column, columnArg, columnNamed, toExpr, windowNeedsOver, type ColumnOrValue } from './column.js';
import { literalExpr, type LiteralValue } from './literal.js';
import { sqlTextExpr } from './sql-text.js';

type ColumnLike = string | Column;

const call = (fn: string, ...args: Expr[]): Column => new Column({ kind: 'call', fn, args });
const arg = (c: ColumnLike): Expr => columnArg(c).expr;
const aggregate = (fn: string, args: Expr[], distinct = false): Column => new Column({ kind: 'agg', fn, args, distinct });

export const col = (name: string): Column => columnNamed(name);
export const column = col;
export const lit = (value: LiteralValue): Column => new Column(literalExpr(value));
/** A DuckDB SQL expression (`expr("delay * 60")`), typed and checked when a DataFrame uses it. */
export const expr = (sql: string): Column => new Column(sqlTextExpr(sql));

export const sum = (c: ColumnLike) => aggregate('sum', [arg(c)]);
export const sumDistinct = (c: ColumnLike) => aggregate('sum', [arg(c)], true);
export const avg = (c: ColumnLike) => aggregate('avg', [arg(c)]);
export const mean = avg;
export const min = (c: ColumnLike) => aggregate('min', [arg(c)]);
export const max = (c: ColumnLike) => aggregate('max', [arg(c)]);
/** `count('*')` or `count()` counts rows; `count('x')` counts non-null values of x. */
export const count = (c: ColumnLike = '*') => (c === '*' ? new Column({ kind: 'agg', fn: 'count', args: [], distinct: false }) : aggregate('count', [arg(c)]));
export const countDistinct = (...cols: ColumnLike[]) => {
  if (cols.length !== 1) throw new AnalysisError(`countDistinct() takes one column here, got ${cols.length}`);
  return aggregate('count', [arg(cols[0]!)], true);
};
export const approxCountDistinct = (c: ColumnLike) => aggregate('approx_count_distinct', [arg(c)]);
export const first = (c: ColumnLike) => aggregate('first', [arg(c)]);
export const last = (c: ColumnLike) => aggregate('last', [arg(c)]);
export const stddev = (c: ColumnLike) => aggregate('stddev_samp', [arg(c)]);
export const variance = (c: ColumnLike) => aggregate('var_samp', [arg(c)]);

/** `when(cond, value).when(...).otherwise(value)`. */
export class CaseColumn extends Column {
  constructor(private readonly branches: { when: Expr; then: Expr }[]) {
    super({ kind: 'case', branches });
  }
  when(condition: Column, value: ColumnOrValue): CaseColumn {
    return new CaseColumn([...this.branches, { when: condition.expr, then: toExpr(value) }]);
  }
  otherwise(value: ColumnOrValue): Column {
    return new Column({ kind: 'case', branches: this.branches, otherwise: toExpr(value) });
  }
}
export const when = (condition: Column, value: ColumnOrValue): CaseColumn => new CaseColumn([{ when: condition.expr, then: toExpr(value) }]);

export const asc = (c: ColumnLike) => columnArg(c).asc();
export const desc = (c: ColumnLike) => columnArg(c).desc();
export const coalesce = (...cols: ColumnLike[]) => call('coalesce', ...cols.map(arg));
export const isnull = (c: ColumnLike) => columnArg(c).isNull();
export const abs = (c: ColumnLike) => call('abs', arg(c));
export const sqrt = (c: ColumnLike) => call('sqrt', arg(c));
export const round = (c: ColumnLike, digits = 0) => call('round', arg(c), literalExpr(digits));
export const floor = (c: ColumnLike) => call('floor', arg(c));
export const ceil = (c: ColumnLike) => call('ceil', arg(c));
export const greatest = (...cols: ColumnLike[]) => call('greatest', ...cols.map(arg));
export const least = (...cols: ColumnLike[]) => call('least', ...cols.map(arg));

export const concat = (...cols: ColumnLike[]) => call('concat', ...cols.map(arg));
export const concatWs = (separator: string, ...cols: ColumnLike[]) => call('concat_ws', literalExpr(separator), ...cols.map(arg));
export const lower = (c: ColumnLike) => call('lower', arg(c));
export const upper = (c: ColumnLike) => call('upper', arg(c));
export const trim = (c: ColumnLike) => call('trim', arg(c));
export const length = (c: ColumnLike) => call('length', arg(c));
/** 1-based `pos`, as in Spark and DuckDB. */
export const substring = (c: ColumnLike, pos: number, len: number) => call('substring', arg(c), literalExpr(pos), literalExpr(len));
export const regexpReplace = (c: ColumnLike, pattern: string, replacement: string) =>
  call('regexp_replace', arg(c), literalExpr(pattern), literalExpr(replacement));
export const regexpExtract = (c: ColumnLike, pattern: string, group = 0) => call('regexp_extract', arg(c), literalExpr(pattern), literalExpr(group));

export const year = (c: ColumnLike) => call('year', arg(c));
export const month = (c: ColumnLike) => call('month', arg(c));
export const dayofmonth = (c: ColumnLike) => call('day', arg(c));
export const hour = (c: ColumnLike) => call('hour', arg(c));
export const dayofweek = (c: ColumnLike) => call('dayofweek', arg(c));
/** A DATE from a string or timestamp; with a format, parsed by DuckDB's strptime (`'%Y-%m-%d'`). */
export const toDate = (c: ColumnLike, format?: string): Column =>
  format === undefined
    ? new Column({ kind: 'cast', expr: arg(c), to: 'DATE' })
    : new Column({ kind: 'cast', expr: call('strptime', arg(c), literalExpr(format)).expr, to: 'DATE' });
export const toTimestamp = (c: ColumnLike, format?: string): Column =>
  format === undefined ? new Column({ kind: 'cast', expr: arg(c), to: 'TIMESTAMP' }) : call('strptime', arg(c), literalExpr(format));
/** `days` after the date (a DATE). */
export const dateAdd = (c: ColumnLike, days: number | Column) => new Column({ kind: 'call', fn: '+', args: [new Column({ kind: 'cast', expr: arg(c), to: 'DATE' }).expr, toIntegerExpr(days)] });
export const dateSub = (c: ColumnLike, days: number | Column) => new Column({ kind: 'call', fn: '-', args: [new Column({ kind: 'cast', expr: arg(c), to: 'DATE' }).expr, toIntegerExpr(days)] });
export const datediff = (end: ColumnLike, start: ColumnLike) => call('date_diff', literalExpr('day'), arg(start), arg(end));
export const dateFormat = (c: ColumnLike, format: string) => call('strftime', arg(c), literalExpr(format));
export const currentDate = () => call('current_date');

function toIntegerExpr(days: number | Column): Expr {
  if (days instanceof Column) return days.expr;
  if (!Number.isInteger(days)) throw new AnalysisError(`dateAdd() needs a whole number of days, got ${days}`);
  return literalExpr(days);
}

function windowFunction(fn: string, args: Expr[]): Column {
  const e: Expr = { kind: 'window', fn, args, spec: { partitionBy: [], orderBy: [] } };
  windowNeedsOver.add(e);
  return new Column(e);
}
export const rowNumber = () => windowFunction('row_number', []);
export const rank = () => windowFunction('rank', []);
export const denseRank = () => windowFunction('dense_rank', []);
export const percentRank = () => windowFunction('percent_rank', []);
export const ntile = (n: number) => windowFunction('ntile', [literalExpr(n)]);
export const lag = (c: ColumnLike, offset = 1, defaultValue?: LiteralValue) =>
  windowFunction('lag', [arg(c), literalExpr(offset), ...(defaultValue === undefined ? [] : [literalExpr(defaultValue)])]);
export const lead = (c: ColumnLike, offset = 1, defaultValue?: LiteralValue) =>
  windowFunction('lead', [arg(c), literalExpr(offset), ...(defaultValue === undefined ? [] : [literalExpr(defaultValue)])]);
