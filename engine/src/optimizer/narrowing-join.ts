/**
 * An inner join with an input whose own filters drop rows probably drops rows of the other input too
 * (supplier rows of one nation keep 1/25 of lineitem): work moved below it into the other input then
 * runs on more rows.
 */
import { selectivity } from '../plan/selectivity.js';
import type { LogicalPlan } from '../plan/types.js';

export function joinNarrowsOtherSide(node: LogicalPlan, intoChild: number): boolean {
  if (node.op !== 'join' || (node.type !== 'inner' && node.type !== 'cross')) return false;
  return selectivity(intoChild === 0 ? node.right : node.left) < 1;
}
