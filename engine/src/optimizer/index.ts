/**
 * The logical optimizer: the default rule set, applied to a fixed point. Order matters only for
 * speed (every rule is re-run until nothing changes): simplify first, then move filters down,
 * then prune columns.
 */
import type { LogicalPlan } from '../plan/types.js';
import { combineFilters } from './combine-filters.js';
import { constantFolding } from './constant-folding.js';
import { crossJoinToInner } from './cross-join-to-inner.js';
import { projectionPruning } from './projection-pruning.js';
import { pushFilterIntoScan } from './push-filter-into-scan.js';
import { pushFilterThroughAggregate } from './push-filter-through-aggregate.js';
import { pushFilterThroughJoin } from './push-filter-through-join.js';
import { pushFilterThroughPassthrough } from './push-filter-through-passthrough.js';
import { pushFilterThroughProject } from './push-filter-through-project.js';
import { pushFilterThroughUnion } from './push-filter-through-union.js';
import { pushFilterThroughWindow } from './push-filter-through-window.js';
import { pushSemiJoinDown } from './push-semi-join-down.js';
import { reduceJoinInputsToKeys } from './reduce-join-inputs-to-keys.js';
import { removeNoopProject } from './remove-noop-project.js';
import { removeTrivialFilter } from './remove-trivial-filter.js';
import { reorderCrossJoins } from './reorder-cross-joins.js';
import type { Rule } from './rule.js';
import { runRules, type OptimizeTrace } from './runner.js';

export type { Rule } from './rule.js';
export type { OptimizeTrace } from './runner.js';
export { runRules } from './runner.js';

export const defaultRules: Rule[] = [
  constantFolding,
  removeTrivialFilter,
  combineFilters,
  crossJoinToInner,
  pushFilterThroughJoin,
  reorderCrossJoins,
  pushFilterThroughProject,
  pushFilterThroughAggregate,
  pushFilterThroughPassthrough,
  pushFilterThroughWindow,
  pushFilterThroughUnion,
  pushFilterIntoScan,
  pushSemiJoinDown,
  removeNoopProject,
];

/**
 * Optimizes a logical plan. Aggregations are reduced to the keys their joins can match once the
 * filters have settled, since the rule picks the most restricted input as the source of those keys
 * and adds its semi join once. Column pruning runs last, since it rewrites scans that filter
 * pushdown would otherwise revisit.
 */
export function optimize(plan: LogicalPlan, trace?: OptimizeTrace): LogicalPlan {
  const settled = runRules(plan, defaultRules, trace);
  const reduced = runRules(settled, [reduceJoinInputsToKeys, ...defaultRules], trace);
  return runRules(reduced, [projectionPruning, removeNoopProject], trace);
}
