/**
 * Moves conjuncts that read only a window's partition keys below the window node: they keep or drop
 * whole partitions, so every remaining row sees the same window.
 */
import { filterNode, rebuildNode } from '../plan/rebuild.js';
import { columnRefs, conjunction, isNondeterministic, splitConjunction, transformPlan } from '../plan/expr-walk.js';
import { tryResolveColumn } from '../plan/schema.js';
import type { Expr, LogicalPlan } from '../plan/types.js';
import type { Rule } from './rule.js';

type WindowNode = Extract<LogicalPlan, { op: 'window' }>;

/** Input columns every window of the node partitions by. */
function commonPartitionColumns(node: WindowNode): Set<number> {
  const sets = node.windows.map((w) => {
    const call = w.kind === 'alias' ? w.expr : w;
    const keys = call.kind === 'window' ? call.spec.partitionBy : [];
    return new Set(keys.flatMap((k) => (k.kind === 'column' ? [tryResolveColumn(node.input.schema, k)] : [])).filter((i): i is number => typeof i === 'number'));
  });
  const [first, ...rest] = sets;
  return new Set([...(first ?? [])].filter((i) => rest.every((s) => s.has(i))));
}

export const pushFilterThroughWindow: Rule = {
  name: 'PushFilterThroughWindow',
  apply: (plan) =>
    transformPlan(plan, (node) => {
      if (node.op !== 'filter' || node.input.op !== 'window') return node;
      const window = node.input;
      const keys = commonPartitionColumns(window);
      if (keys.size === 0) return node;
      const pushed: Expr[] = [];
      const kept: Expr[] = [];
      for (const c of splitConjunction(node.predicate)) {
        const refs = columnRefs(c).map((r) => tryResolveColumn(window.input.schema, r));
        const onKeys = !isNondeterministic(c) && refs.length > 0 && refs.every((i) => typeof i === 'number' && keys.has(i));
        (onKeys ? pushed : kept).push(c);
      }
      if (pushed.length === 0) return node;
      const moved = rebuildNode(window, [filterNode(window.input, conjunction(pushed)!)]);
      const remaining = conjunction(kept);
      return remaining ? filterNode(moved, remaining) : moved;
    }),
};
