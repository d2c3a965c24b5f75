/**
 * A semi join the optimizer adds only to drop rows a join input would group or hash in vain
 * (optimizer/reduce-join-inputs-to-keys.ts). Its key side carries this alias, by which the
 * optimizer adds it once and the physical planner may leave it out: the answer is the same without it.
 */
import { transformExpr } from './expr-walk.js';
import { columnExpr, tryResolveColumn } from './schema.js';
import type { Expr, LogicalPlan } from './types.js';

export const REDUCTION_ALIAS = '__reduce';

export function isReductionJoin(plan: LogicalPlan): plan is Extract<LogicalPlan, { op: 'join' }> {
  return plan.op === 'join' && plan.type === 'semi' && plan.right.op === 'alias' && plan.right.alias === REDUCTION_ALIAS;
}

/**
 * The reduction with its keys read from the relation under the alias, the condition naming that
 * relation's own columns: the keys' stage is then the very stage another join of the same relation
 * has (a semi join's keys reused to reduce the other side of a join), and runs once. Undefined when
 * a column would no longer be named unambiguously.
 */
export function unaliasedReduction(join: Extract<LogicalPlan, { op: 'join' }>): Extract<LogicalPlan, { op: 'join' }> | undefined {
  if (!isReductionJoin(join) || join.right.op !== 'alias' || !join.condition) return undefined;
  const keys = join.right.input;
  const leftWidth = join.left.schema.fields.length;
  const before = { fields: [...join.left.schema.fields, ...join.right.schema.fields] };
  const after = { fields: [...join.left.schema.fields, ...keys.schema.fields] };
  let ambiguous = false;
  const condition = transformExpr(join.condition, (expr): Expr => {
    if (expr.kind !== 'column') return expr;
    const index = tryResolveColumn(before, expr);
    if (typeof index !== 'number') {
      ambiguous = true;
      return expr;
    }
    const renamed = index < leftWidth ? expr : columnExpr(keys.schema.fields[index - leftWidth]!);
    if (tryResolveColumn(after, renamed) !== index) ambiguous = true;
    return renamed;
  });
  if (ambiguous) return undefined;
  return { ...join, right: keys, condition };
}
