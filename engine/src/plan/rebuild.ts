/**
 * Re-derives a node's schema after its inputs changed (an optimizer rule pruned columns below it,
 * or moved it). Going through the analyzed constructors keeps every rewritten plan as checked as
 * one built by the API.
 */
import { aggregatePlan, aliasPlan, distinctPlan, filterPlan, joinPlan, limitPlan, projectPlan, repartitionPlan, sortPlan, unionPlan, windowPlan } from './build.js';
import { withPlanChildren } from './expr-walk.js';
import type { LogicalPlan } from './types.js';

export function rebuildNode(node: LogicalPlan, children: LogicalPlan[]): LogicalPlan {
  const n = withPlanChildren(node, children);
  switch (n.op) {
    case 'scan':
    case 'values':
    case 'range':
    case 'opaque':
      return n;
    case 'project':
      return projectPlan(n.input, n.exprs);
    case 'filter':
      return filterPlan(n.input, n.predicate);
    case 'aggregate':
      return aggregatePlan(n.input, n.groupBy, n.aggs);
    case 'join':
      return joinPlan(n.left, n.right, n.type, n.condition);
    case 'sort':
      return sortPlan(n.input, n.keys);
    case 'limit':
      return limitPlan(n.input, n.limit, n.offset);
    case 'distinct':
      return distinctPlan(n.input);
    case 'union':
      return unionPlan(n.inputs, { all: n.all, byName: false });
    case 'repartition':
      return repartitionPlan(n.input, n.numPartitions, n.keys);
    case 'window':
      return windowPlan(n.input, n.windows);
    case 'alias':
      return aliasPlan(n.input, n.alias);
  }
}
