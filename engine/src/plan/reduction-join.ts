/**
 * A semi join the optimizer adds only to drop rows a join input would group or hash in vain
 * (optimizer/reduce-join-inputs-to-keys.ts). Its key side carries this alias, by which the
 * optimizer adds it once and the physical planner may leave it out: the answer is the same without it.
 */
import type { LogicalPlan } from './types.js';

export const REDUCTION_ALIAS = '__reduce';

export function isReductionJoin(plan: LogicalPlan): plan is Extract<LogicalPlan, { op: 'join' }> {
  return plan.op === 'join' && plan.type === 'semi' && plan.right.op === 'alias' && plan.right.alias === REDUCTION_ALIAS;
}
