/**
 * A column expression, as in PySpark: built from col(), lit(), functions and operators, and resolved
 * against a DataFrame's schema only when the DataFrame uses it. Columns are immutable.
 */
import { AnalysisError } from '../plan/errors.js';
import { normalizeType } from '../plan/type-rules.js';
import type { Expr, SortKey } from '../plan/types.js';
import { literalExpr, type LiteralValue } from './literal.js';
import type { WindowSpecBuilder } from './window.js';

/** Anything an operator accepts: another column or a plain value (made a literal). */
export type ColumnOrValue = Column | LiteralValue;

/** Window functions that must be given a window with over(); marked so forgetting it is an error. */
export const windowNeedsOver = new WeakSet<Expr>();

export class Column {
  constructor(
    readonly expr: Expr,
    /** Set by asc()/desc(): how orderBy() sorts by this column. */
    readonly sortOrder?: { ascending: boolean; nullsFirst: boolean },
  ) {}

  private binary(fn: string, other: ColumnOrValue): Column {
    return new Column({ kind: 'call', fn, args: [this.expr, toExpr(other)] });
  }

  eq(other: ColumnOrValue): Column { return this.binary('=', other); }
  neq(other: ColumnOrValue): Column { return this.binary('!=', other); }
  gt(other: ColumnOrValue): Column { return this.binary('>', other); }
  ge(other: ColumnOrValue): Column { return this.binary('>=', other); }
  lt(other: ColumnOrValue): Column { return this.binary('<', other); }
  le(other: ColumnOrValue): Column { return this.binary('<=', other); }
  /** Null-safe equality (`<=>` in Spark). */
  eqNullSafe(other: ColumnOrValue): Column { return this.binary('is not distinct from', other); }
  and(other: ColumnOrValue): Column { return this.binary('and', other); }
  or(other: ColumnOrValue): Column { return this.binary('or', other); }
  not(): Column { return new Column({ kind: 'call', fn: 'not', args: [this.expr] }); }
  plus(other: ColumnOrValue): Column { return this.binary('+', other); }
  minus(other: ColumnOrValue): Column { return this.binary('-', other); }
  multiply(other: ColumnOrValue): Column { return this.binary('*', other); }
  divide(other: ColumnOrValue): Column { return this.binary('/', other); }
  mod(other: ColumnOrValue): Column { return this.binary('%', other); }
  negate(): Column { return new Column({ kind: 'call', fn: '-', args: [this.expr] }); }

  isNull(): Column { return new Column({ kind: 'call', fn: 'is null', args: [this.expr] }); }
  isNotNull(): Column { return new Column({ kind: 'call', fn: 'is not null', args: [this.expr] }); }
  isin(...values: (ColumnOrValue | ColumnOrValue[])[]): Column {
    const flat = values.flat();
    if (flat.length === 0) throw new AnalysisError('isin() needs at least one value');
    return new Column({ kind: 'call', fn: 'in', args: [this.expr, ...flat.map(toExpr)] });
  }
  like(pattern: string): Column { return this.binary('like', pattern); }
  ilike(pattern: string): Column { return this.binary('ilike', pattern); }
  rlike(pattern: string): Column { return new Column({ kind: 'call', fn: 'regexp_matches', args: [this.expr, toExpr(pattern)] }); }
  contains(text: ColumnOrValue): Column { return new Column({ kind: 'call', fn: 'contains', args: [this.expr, toExpr(text)] }); }
  startswith(text: ColumnOrValue): Column { return new Column({ kind: 'call', fn: 'starts_with', args: [this.expr, toExpr(text)] }); }
  endswith(text: ColumnOrValue): Column { return new Column({ kind: 'call', fn: 'ends_with', args: [this.expr, toExpr(text)] }); }
  between(low: ColumnOrValue, high: ColumnOrValue): Column {
    return new Column({ kind: 'call', fn: 'between', args: [this.expr, toExpr(low), toExpr(high)] });
  }

  /** Renames the column in the output (`name` is kept as given). */
  alias(name: string): Column {
    if (typeof name !== 'string' || name.length === 0) throw new AnalysisError('alias() needs a non-empty name');
    const inner = this.expr.kind === 'alias' ? this.expr.expr : this.expr;
    return new Column({ kind: 'alias', expr: inner, name });
  }
  as(name: string): Column { return this.alias(name); }
  name(name: string): Column { return this.alias(name); }

  /** Converts to a DuckDB type ('BIGINT', 'DECIMAL(10,2)', 'DATE'); Spark names like 'string' and 'int' work too. */
  cast(type: string): Column {
    if (typeof type !== 'string' || type.trim() === '') throw new AnalysisError('cast() needs a type name');
    return new Column({ kind: 'cast', expr: this.expr, to: normalizeType(type) });
  }
  astype(type: string): Column { return this.cast(type); }

  asc(): Column { return new Column(this.expr, { ascending: true, nullsFirst: true }); }
  desc(): Column { return new Column(this.expr, { ascending: false, nullsFirst: false }); }
  ascNullsFirst(): Column { return new Column(this.expr, { ascending: true, nullsFirst: true }); }
  ascNullsLast(): Column { return new Column(this.expr, { ascending: true, nullsFirst: false }); }
  descNullsFirst(): Column { return new Column(this.expr, { ascending: false, nullsFirst: true }); }
  descNullsLast(): Column { return new Column(this.expr, { ascending: false, nullsFirst: false }); }

  /** Evaluates an aggregate or window function over a window (`sum('x').over(Window.partitionBy('g'))`). */
  over(window: WindowSpecBuilder): Column {
    const e = this.expr.kind === 'alias' ? this.expr.expr : this.expr;
    const spec = window.spec;
    let windowed: Expr;
    if (e.kind === 'agg') {
      if (e.filter) throw new AnalysisError('an aggregate with a FILTER cannot be used over a window');
      windowed = { kind: 'window', fn: e.fn, args: e.args, ...(e.distinct ? { distinct: true } : {}), spec };
    } else if (e.kind === 'window') {
      windowed = { kind: 'window', fn: e.fn, args: e.args, spec };
    } else {
      throw new AnalysisError(`over() applies to aggregate and window functions, not to ${describe(this.expr)}`);
    }
    return new Column(this.expr.kind === 'alias' ? { kind: 'alias', expr: windowed, name: this.expr.name } : windowed);
  }

  /** This column as a sort key (ascending, nulls first, as PySpark sorts by default). */
  toSortKey(): SortKey {
    const order = this.sortOrder ?? { ascending: true, nullsFirst: true };
    return { expr: this.expr, ...order };
  }

  toString(): string {
    return `Column<${describe(this.expr)}>`;
  }
}

function describe(expr: Expr): string {
  return expr.kind === 'column' ? `'${expr.name}'` : expr.kind;
}

export function isColumn(value: unknown): value is Column {
  return value instanceof Column;
}

/** A value as an expression: Columns as they are, anything else as a literal. */
export function toExpr(value: ColumnOrValue): Expr {
  return value instanceof Column ? value.expr : literalExpr(value);
}

/** Function arguments: a string names a column (PySpark's convention), anything else is a Column. */
export function columnArg(value: string | Column): Column {
  if (value instanceof Column) return value;
  if (typeof value !== 'string') throw new AnalysisError(`expected a column name or a Column, got ${typeof value}`);
  return columnNamed(value);
}

/** `col('a')`, `col('t.a')` (qualified), or `col('*')`. */
export function columnNamed(name: string): Column {
  if (name === '*') return new Column({ kind: 'star' });
  if (name.endsWith('.*')) return new Column({ kind: 'star', qualifier: name.slice(0, -2) });
  return new Column({ kind: 'column', name });
}
