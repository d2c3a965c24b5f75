/**
 * Evaluates operators whose operands are all literals (`1 + 2`, `'a' = 'a'`, `NOT true`) and
 * simplifies boolean logic with a literal side (`x AND true` -> `x`, `x OR true` -> `true`), so
 * later rules see plain predicates and trivial filters can be removed.
 */
import { transformExpr } from '../plan/expr-walk.js';
import { mapNodeExprs } from '../plan/plan-exprs.js';
import { transformPlan } from '../plan/expr-walk.js';
import { categoryOf } from '../plan/type-rules.js';
import type { Expr } from '../plan/types.js';
import type { Rule } from './rule.js';

type Literal = Extract<Expr, { kind: 'literal' }>;

const INT_RANGE: Record<string, [number, number]> = {
  TINYINT: [-128, 127], SMALLINT: [-32768, 32767], INTEGER: [-(2 ** 31), 2 ** 31 - 1], BIGINT: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

const bool = (value: boolean | null): Literal => ({ kind: 'literal', value, type: 'BOOLEAN' });
const isLit = (e: Expr | undefined): e is Literal => e?.kind === 'literal';
const isBoolLit = (e: Expr, value: boolean) => isLit(e) && e.type.toUpperCase() === 'BOOLEAN' && e.value === value;

function foldArithmetic(fn: string, a: Literal, b: Literal): Expr | undefined {
  if (typeof a.value !== 'number' || typeof b.value !== 'number' || a.type !== b.type) return undefined;
  const range = INT_RANGE[a.type.toUpperCase()];
  const isDouble = a.type.toUpperCase() === 'DOUBLE';
  if (!range && !isDouble) return undefined;
  let value: number;
  if (fn === '+') value = a.value + b.value;
  else if (fn === '-') value = a.value - b.value;
  else if (fn === '*') value = a.value * b.value;
  else return undefined;
  // Leave anything that would overflow to DuckDB, which raises the overflow error itself.
  if (range && (!Number.isInteger(value) || value < range[0] || value > range[1])) return undefined;
  if (isDouble && !Number.isFinite(value)) return undefined;
  return { kind: 'literal', value, type: a.type };
}

function compare(fn: string, a: Literal, b: Literal): Expr | undefined {
  if (a.value === null || b.value === null) return undefined;
  const sameKind =
    (typeof a.value === 'number' && typeof b.value === 'number' && categoryOf(a.type) !== 'decimal' && categoryOf(b.type) !== 'decimal') ||
    (typeof a.value === 'string' && typeof b.value === 'string' && categoryOf(a.type) === 'string' && categoryOf(b.type) === 'string') ||
    (typeof a.value === 'boolean' && typeof b.value === 'boolean');
  if (!sameKind) return undefined;
  const [x, y] = [a.value, b.value];
  switch (fn) {
    case '=': return bool(x === y);
    case '!=': case '<>': return bool(x !== y);
    case '<': return bool(x < y);
    case '<=': return bool(x <= y);
    case '>': return bool(x > y);
    case '>=': return bool(x >= y);
    default: return undefined;
  }
}

function simplifyBoolean(fn: string, args: Expr[]): Expr | undefined {
  if (fn === 'not' && isLit(args[0]) && typeof args[0].value === 'boolean') return bool(!args[0].value);
  if (fn === 'and') {
    if (args.some((a) => isBoolLit(a, false))) return bool(false);
    const rest = args.filter((a) => !isBoolLit(a, true));
    if (rest.length === args.length) return undefined;
    return rest.length === 0 ? bool(true) : rest.length === 1 ? rest[0] : { kind: 'call', fn: 'and', args: rest };
  }
  if (fn === 'or') {
    if (args.some((a) => isBoolLit(a, true))) return bool(true);
    const rest = args.filter((a) => !isBoolLit(a, false));
    if (rest.length === args.length) return undefined;
    return rest.length === 0 ? bool(false) : rest.length === 1 ? rest[0] : { kind: 'call', fn: 'or', args: rest };
  }
  return undefined;
}

export function foldExpr(expr: Expr): Expr {
  return transformExpr(expr, (e) => {
    if (e.kind !== 'call') return e;
    const fn = e.fn.toLowerCase();
    const boolean = simplifyBoolean(fn, e.args);
    if (boolean) return boolean;
    const [a, b] = e.args;
    if (e.args.length === 2 && isLit(a) && isLit(b)) return foldArithmetic(fn, a, b) ?? compare(fn, a, b) ?? e;
    if ((fn === 'is null' || fn === 'is not null') && isLit(a)) return bool((a.value === null) === (fn === 'is null'));
    return e;
  });
}

export const constantFolding: Rule = {
  name: 'ConstantFolding',
  // foldExpr returns an expression it cannot fold as the same object, so the plan stays the same one.
  apply: (plan) => transformPlan(plan, (node) => mapNodeExprs(node, foldExpr)),
};
