/**
 * Which joins of a stage's SQL run first, computed whole, before DuckDB orders the rest.
 *
 * DuckDB orders a task's joins by its own row estimates. An input read from an earlier stage is, to
 * it, a table whose keys all find a partner: it cannot see that the stage kept a twentieth of the
 * parts, so it joins that input late, after joins it guessed smaller. In TPC-H Q9 at SF 1 each task
 * joined 3 M lineitem rows to orders before the 11 000 green parts cut them to 165 000. An inner
 * join with an input narrowed upstream therefore runs first, where the optimizer placed it; DuckDB
 * still orders everything around it.
 */
import type { LogicalPlan } from '../plan/types.js';
import type { Leaf } from './fragment.js';

/** An input keeping at most this share of its source's rows counts as narrowed. */
export const NARROWED_SHARE = 0.5;

type JoinNode = Extract<LogicalPlan, { op: 'join' }>;

export function joinsToRunFirst(leaves: readonly Leaf[]): (join: JoinNode) => boolean {
  const narrowed = new Set(leaves.filter((leaf) => leaf.stageId !== undefined && (leaf.keptShare ?? 1) <= NARROWED_SHARE).map((leaf) => leaf.placeholder));
  if (narrowed.size === 0) return () => false;
  return (join) => join.type === 'inner' && [join.left, join.right].some((side) => narrowed.has(underRenames(side)));
}

/** The node below aliases and projections, which only rename or narrow columns. */
function underRenames(plan: LogicalPlan): LogicalPlan {
  let node = plan;
  while (node.op === 'alias' || node.op === 'project') node = node.input;
  return node;
}
