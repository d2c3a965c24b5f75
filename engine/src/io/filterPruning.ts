import type { DataType, Expr } from '../plan/types.js';

/** A predicate simple enough to test against min/max statistics or a partition value. */
export interface SimplePredicate {
  column: string;
  op: '=' | '<' | '<=' | '>' | '>=' | 'between' | 'in';
  values: (string | number | boolean)[];
}

const FLIPPED: Record<string, SimplePredicate['op']> = { '=': '=', '==': '=', '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function literalValue(expr: Expr): string | number | boolean | null | undefined {
  if (expr.kind === 'literal') return expr.value;
  if (expr.kind === 'cast') return literalValue(expr.expr);
  return undefined;
}

function columnName(expr: Expr): string | undefined {
  if (expr.kind === 'column') return expr.name;
  return undefined;
}

/**
 * The simple predicates in a conjunction of filters: comparisons, BETWEEN and IN of a column with
 * non-null literals. Anything else is ignored here, which only means it prunes nothing.
 */
export function simplePredicates(filters: Expr[]): SimplePredicate[] {
  const out: SimplePredicate[] = [];
  const visit = (e: Expr): void => {
    if (e.kind !== 'call') return;
    const fn = e.fn.toLowerCase();
    if (fn === 'and') return e.args.forEach(visit);
    const column = e.args[0] && columnName(e.args[0]);
    const literals = e.args.slice(1).map(literalValue);
    const usable = literals.length > 0 && literals.every((v) => v !== undefined && v !== null);
    if (fn in FLIPPED && e.args.length === 2) {
      const left = columnName(e.args[0]);
      const right = columnName(e.args[1]);
      const leftValue = literalValue(e.args[0]);
      const rightValue = literalValue(e.args[1]);
      if (left && rightValue != null) out.push({ column: left, op: fn === '==' ? '=' : (fn as SimplePredicate['op']), values: [rightValue] });
      else if (right && leftValue != null) out.push({ column: right, op: FLIPPED[fn], values: [leftValue] });
    } else if (fn === 'between' && column && usable && literals.length === 2) {
      out.push({ column, op: 'between', values: literals as (string | number | boolean)[] });
    } else if (fn === 'in' && column && usable) {
      out.push({ column, op: 'in', values: literals as (string | number | boolean)[] });
    }
  };
  filters.forEach(visit);
  return out;
}

type Compare = (a: string, b: string | number | boolean) => number | undefined;

/** How values of a type order, or undefined when Quire does not prune on that type. */
function comparatorFor(type: DataType): Compare | undefined {
  const t = type.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/.test(t)) {
    return (a, b) => {
      if (typeof b === 'boolean' || !/^-?\d+$/.test(a) || !/^-?\d+(\.0*)?$/.test(String(b))) return undefined;
      const x = BigInt(a);
      const y = BigInt(String(b).replace(/\.0*$/, ''));
      return x < y ? -1 : x > y ? 1 : 0;
    };
  }
  if (/^(DECIMAL|NUMERIC|FLOAT|DOUBLE|REAL)/.test(t)) {
    return (a, b) => {
      const x = Number(a);
      const y = Number(b);
      if (typeof b === 'boolean' || Number.isNaN(x) || Number.isNaN(y)) return undefined;
      return x < y ? -1 : x > y ? 1 : 0;
    };
  }
  if (t === 'DATE') {
    const iso = /^\d{4}-\d{2}-\d{2}$/;
    return (a, b) => (iso.test(a) && typeof b === 'string' && iso.test(b) ? (a < b ? -1 : a > b ? 1 : 0) : undefined);
  }
  if (t === 'VARCHAR') {
    return (a, b) => (typeof b === 'string' ? Buffer.compare(Buffer.from(a), Buffer.from(b)) : undefined);
  }
  return undefined;
}

export interface ValueRange {
  min?: string;
  max?: string;
  /** True when every value is NULL, so no comparison can hold. */
  allNull?: boolean;
}

/** False only when no value within [min, max] can satisfy the predicate. */
export function mayMatch(range: ValueRange, type: DataType, predicate: SimplePredicate): boolean {
  if (range.allNull) return false;
  const compare = comparatorFor(type);
  if (!compare || range.min === undefined || range.max === undefined) return true;
  const { min, max } = range;
  const holds = (c: number | undefined, test: (c: number) => boolean): boolean => c === undefined || test(c);
  const equalPossible = (v: string | number | boolean): boolean =>
    holds(compare(max, v), (c) => c >= 0) && holds(compare(min, v), (c) => c <= 0);
  const [v, w] = predicate.values;
  switch (predicate.op) {
    case '=':
      return equalPossible(v);
    case 'in':
      return predicate.values.some(equalPossible);
    case '<':
      return holds(compare(min, v), (c) => c < 0);
    case '<=':
      return holds(compare(min, v), (c) => c <= 0);
    case '>':
      return holds(compare(max, v), (c) => c > 0);
    case '>=':
      return holds(compare(max, v), (c) => c >= 0);
    case 'between':
      return holds(compare(max, v), (c) => c >= 0) && holds(compare(min, w), (c) => c <= 0);
  }
}
