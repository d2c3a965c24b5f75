/**
 * Moves conjuncts that read only grouping columns below an aggregation (a HAVING on a key filters
 * whole groups, which is the same as filtering their rows first).
 */
import { filterNode, rebuildNode } from '../plan/rebuild.js';
import { columnRefs, conjunction, isNondeterministic, splitConjunction, transformExpr, transformPlan } from '../plan/expr-walk.js';
import { tryResolveColumn } from '../plan/schema.js';
import type { Expr, LogicalPlan } from '../plan/types.js';
import type { Rule } from './rule.js';

type Aggregate = Extract<LogicalPlan, { op: 'aggregate' }>;

function overInput(conjunct: Expr, agg: Aggregate): Expr | undefined {
  if (isNondeterministic(conjunct)) return undefined;
  const keyCount = agg.groupBy.length;
  for (const ref of columnRefs(conjunct)) {
    const index = tryResolveColumn(agg.schema, ref);
    if (typeof index !== 'number' || index >= keyCount) return undefined;
  }
  return transformExpr(conjunct, (e) => {
    if (e.kind !== 'column') return e;
    const key = agg.groupBy[tryResolveColumn(agg.schema, e) as number]!;
    return key.kind === 'alias' ? key.expr : key;
  });
}

export const pushFilterThroughAggregate: Rule = {
  name: 'PushFilterThroughAggregate',
  apply: (plan) =>
    transformPlan(plan, (node) => {
      if (node.op !== 'filter' || node.input.op !== 'aggregate') return node;
      const agg = node.input;
      // Without grouping keys an aggregation yields one row even from no input; filtering first would change that.
      if (agg.groupBy.length === 0) return node;
      const pushed: Expr[] = [];
      const kept: Expr[] = [];
      for (const c of splitConjunction(node.predicate)) {
        const rewritten = overInput(c, agg);
        if (rewritten) pushed.push(rewritten);
        else kept.push(c);
      }
      if (pushed.length === 0) return node;
      const moved = rebuildNode(agg, [filterNode(agg.input, conjunction(pushed)!)]);
      const remaining = conjunction(kept);
      return remaining ? filterNode(moved, remaining) : moved;
    }),
};
