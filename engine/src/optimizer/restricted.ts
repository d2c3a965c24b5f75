/**
 * Whether a plan drops rows somewhere below (a filter, a filtered scan, a semi join, a limit). With
 * no row counts at this stage, it is how rules tell a relation that may be small from a whole table.
 */
import type { LogicalPlan } from '../plan/types.js';

export function restricted(plan: LogicalPlan): boolean {
  switch (plan.op) {
    case 'filter':
    case 'limit':
      return true;
    case 'scan':
      return plan.filters.length > 0;
    case 'join':
      return plan.type === 'semi' || restricted(plan.left) || restricted(plan.right);
    case 'values':
    case 'range':
    case 'opaque':
      return false;
    case 'union':
      return plan.inputs.every(restricted);
    default:
      return restricted(plan.input);
  }
}

/**
 * An inner join with a restricted input probably drops rows of the other one (supplier rows of one
 * nation keep 1/25 of lineitem): work moved below it into the other input then runs on more rows.
 */
export function joinNarrowsOtherSide(node: LogicalPlan, intoChild: number): boolean {
  if (node.op !== 'join' || (node.type !== 'inner' && node.type !== 'cross')) return false;
  return restricted(intoChild === 0 ? node.right : node.left);
}
