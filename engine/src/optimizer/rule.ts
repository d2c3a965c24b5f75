import type { LogicalPlan } from '../plan/types.js';

/**
 * One logical rewrite. A rule returns the very same object when it changes nothing, which is how
 * the runner detects the fixed point.
 */
export interface Rule {
  name: string;
  apply(plan: LogicalPlan): LogicalPlan;
}
