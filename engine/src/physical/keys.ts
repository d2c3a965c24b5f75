/** Finding the columns an exchange can partition on: join keys, grouping keys, window partitions. */
import type { Expr, Schema } from '../plan/types.js';

export function conjuncts(expr: Expr): Expr[] {
  return expr.kind === 'call' && expr.fn.toLowerCase() === 'and' ? expr.args.flatMap(conjuncts) : [expr];
}

export function conjunction(exprs: Expr[]): Expr | undefined {
  if (exprs.length === 0) return undefined;
  return exprs.length === 1 ? exprs[0] : { kind: 'call', fn: 'and', args: exprs };
}

function matches(schema: Schema, name: string, qualifier: string | undefined): boolean {
  return schema.fields.some((f) => f.name === name && (qualifier === undefined || f.qualifier === qualifier));
}

/** The output column an expression is, when it is a plain (possibly aliased) reference to one of `input`'s columns. */
export function columnOf(expr: Expr, input: Schema): string | undefined {
  const inner = expr.kind === 'alias' ? expr.expr : expr;
  if (inner.kind !== 'column' || !matches(input, inner.name, inner.qualifier)) return undefined;
  return inner.name;
}

/** Name of the column `expr` produces in an output whose fields are `output`, when it is a plain column. */
export function outputColumnName(expr: Expr, index: number, input: Schema, output: Schema): string | undefined {
  if (columnOf(expr, input) === undefined) return undefined;
  return output.fields[index]?.name;
}

export interface EquiKeys {
  /** Columns of the left side's output, pairwise equal to `right`. */
  left: string[];
  right: string[];
  /** Relation of each key column (when the condition qualified it), for sides with repeated names. */
  leftQualifiers: (string | undefined)[];
  rightQualifiers: (string | undefined)[];
  /** Conjuncts that are not column equalities across the sides; they stay in the join. */
  residual: Expr[];
}

/**
 * Splits a join condition into column equalities across the sides (the hash keys) and the rest.
 * A column belongs to a side when only that side's schema has it (qualifier included when given).
 */
export function equiKeys(condition: Expr | undefined, left: Schema, right: Schema): EquiKeys {
  const keys: EquiKeys = { left: [], right: [], leftQualifiers: [], rightQualifiers: [], residual: [] };
  if (!condition) return keys;
  const sideOf = (e: Expr): 'left' | 'right' | undefined => {
    if (e.kind !== 'column') return undefined;
    const inLeft = matches(left, e.name, e.qualifier);
    const inRight = matches(right, e.name, e.qualifier);
    return inLeft === inRight ? undefined : inLeft ? 'left' : 'right';
  };
  for (const c of conjuncts(condition)) {
    if (c.kind === 'call' && c.fn === '=' && c.args.length === 2) {
      const [a, b] = c.args as [Expr, Expr];
      const sa = sideOf(a);
      const sb = sideOf(b);
      if (sa && sb && sa !== sb && a.kind === 'column' && b.kind === 'column') {
        const [l, r] = sa === 'left' ? [a, b] : [b, a];
        if (!hashCompatible(typeOf(left, l.name, l.qualifier), typeOf(right, r.name, r.qualifier))) {
          keys.residual.push(c);
          continue;
        }
        keys.left.push(l.name);
        keys.right.push(r.name);
        keys.leftQualifiers.push(l.qualifier);
        keys.rightQualifiers.push(r.qualifier);
        continue;
      }
    }
    keys.residual.push(c);
  }
  return keys;
}

function typeOf(schema: Schema, name: string, qualifier: string | undefined): string | undefined {
  return schema.fields.find((f) => f.name === name && (qualifier === undefined || f.qualifier === qualifier))?.type;
}

const INTEGER = /^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT)$/;
const DECIMAL_SCALE = /^DECIMAL\(\s*\d+\s*,\s*(\d+)\s*\)$/;

/**
 * Whether equal values of the two types get equal DuckDB hashes, so hash-partitioning both sides
 * sends matching rows to the same partition: all integer types hash alike, decimals of one scale
 * hash alike, otherwise the types must be the same (1::INTEGER and 1.0::DOUBLE hash differently).
 */
export function hashCompatible(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  const [x, y] = [a.trim().toUpperCase(), b.trim().toUpperCase()];
  if (x === y) return true;
  if (INTEGER.test(x) && INTEGER.test(y)) return true;
  const dx = DECIMAL_SCALE.exec(x);
  const dy = DECIMAL_SCALE.exec(y);
  return dx !== null && dy !== null && dx[1] === dy[1];
}

/** True when `keys` is non-empty and every one of them is among `columns`. */
export function isSubsetOf(keys: string[], columns: string[]): boolean {
  return keys.length > 0 && keys.every((k) => columns.includes(k));
}
