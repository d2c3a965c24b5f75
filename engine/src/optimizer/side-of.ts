/** Which input of a join an expression reads from, decided by resolving its columns. */
import { columnRefs, isNondeterministic } from '../plan/expr-walk.js';
import { tryResolveColumn } from '../plan/schema.js';
import type { Expr, LogicalPlan } from '../plan/types.js';

export type Side = 'left' | 'right' | 'both' | 'none' | 'unknown';

/**
 * 'unknown' when a column does not resolve in the join's combined schema (or the expression is
 * nondeterministic): such an expression is never moved.
 */
export function sideOf(expr: Expr, left: LogicalPlan, right: LogicalPlan): Side {
  if (isNondeterministic(expr)) return 'unknown';
  const combined = { fields: [...left.schema.fields, ...right.schema.fields] };
  const leftWidth = left.schema.fields.length;
  let usesLeft = false;
  let usesRight = false;
  for (const ref of columnRefs(expr)) {
    const index = tryResolveColumn(combined, ref);
    if (typeof index !== 'number') return 'unknown';
    if (index < leftWidth) usesLeft = true;
    else usesRight = true;
  }
  if (usesLeft && usesRight) return 'both';
  return usesLeft ? 'left' : usesRight ? 'right' : 'none';
}
