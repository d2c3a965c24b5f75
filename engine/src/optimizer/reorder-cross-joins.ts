/**
 * Reorders a tree of inner and cross joins so each join has a condition where the query offers one.
 * SQL like `FROM part, supplier, lineitem WHERE p_partkey = l_partkey AND s_suppkey = l_suppkey`
 * lists tables that are not pairwise connected; joining them in the written order would build a
 * cross product. Relations are taken greedily, each time the first (in written order) that a
 * condition connects to those already joined. A projection restores the original column order.
 */
import { joinNode, projectColumns } from '../plan/rebuild.js';
import { columnRefs, conjunction, planChildren, splitConjunction, withPlanChildren } from '../plan/expr-walk.js';
import { tryResolveColumn } from '../plan/schema.js';
import type { Expr, LogicalPlan } from '../plan/types.js';
import type { Rule } from './rule.js';

interface JoinTree {
  relations: LogicalPlan[];
  conditions: Expr[];
  hasCross: boolean;
}

function flatten(plan: LogicalPlan, tree: JoinTree): void {
  if (plan.op === 'join' && (plan.type === 'inner' || plan.type === 'cross')) {
    flatten(plan.left, tree);
    flatten(plan.right, tree);
    if (plan.condition) tree.conditions.push(...splitConjunction(plan.condition));
    if (plan.type === 'cross') tree.hasCross = true;
    return;
  }
  tree.relations.push(plan);
}

/** The relations (by index) each condition reads, or undefined if a column cannot be placed. */
function relationsRead(tree: JoinTree): Set<number>[] | undefined {
  const owner: number[] = tree.relations.flatMap((r, i) => r.schema.fields.map(() => i));
  const combined = { fields: tree.relations.flatMap((r) => r.schema.fields) };
  const result: Set<number>[] = [];
  for (const condition of tree.conditions) {
    const read = new Set<number>();
    for (const ref of columnRefs(condition)) {
      const index = tryResolveColumn(combined, ref);
      if (typeof index !== 'number') return undefined;
      read.add(owner[index]!);
    }
    result.push(read);
  }
  return result;
}

function rebuildGreedily(tree: JoinTree, reads: Set<number>[]): LogicalPlan {
  const joined = new Set<number>([0]);
  const used = new Set<number>();
  let plan = tree.relations[0]!;
  const connects = (j: number) => reads.some((r, c) => !used.has(c) && r.has(j) && [...r].some((x) => joined.has(x)) && [...r].every((x) => x === j || joined.has(x)));
  while (joined.size < tree.relations.length) {
    const candidates = tree.relations.map((_, j) => j).filter((j) => !joined.has(j));
    const next = candidates.find(connects) ?? candidates[0]!;
    joined.add(next);
    const ready = tree.conditions.filter((_, c) => !used.has(c) && [...reads[c]!].every((x) => joined.has(x)));
    tree.conditions.forEach((_, c) => {
      if ([...reads[c]!].every((x) => joined.has(x))) used.add(c);
    });
    const condition = conjunction(ready);
    plan = joinNode(plan, tree.relations[next]!, condition ? 'inner' : 'cross', condition);
  }
  return plan;
}

function reorder(plan: LogicalPlan): LogicalPlan {
  if (!(plan.op === 'join' && (plan.type === 'inner' || plan.type === 'cross'))) {
    const children = planChildren(plan);
    const rewritten = children.map(reorder);
    return rewritten.every((c, i) => c === children[i]) ? plan : withPlanChildren(plan, rewritten);
  }
  const tree: JoinTree = { relations: [], conditions: [], hasCross: false };
  flatten(plan, tree);
  const leaves = tree.relations.map(reorder);
  const leavesChanged = leaves.some((l, i) => l !== tree.relations[i]);
  tree.relations = leaves;
  const reads = tree.relations.length >= 3 && tree.hasCross ? relationsRead(tree) : undefined;
  if (!reads) return leavesChanged ? rebuildOriginal(plan, leaves) : plan;
  const reordered = rebuildGreedily(tree, reads);
  const unchanged = leavesChanged ? rebuildOriginal(plan, leaves) : plan;
  if (countCross(reordered) >= countCross(plan)) return unchanged;
  const columns: Expr[] = tree.relations.flatMap((r) =>
    r.schema.fields.map((f): Expr => (f.qualifier ? { kind: 'column', name: f.name, qualifier: f.qualifier } : { kind: 'column', name: f.name })),
  );
  // The original column order must be expressible by name; with duplicate unqualified names it is not.
  if (columns.some((c) => typeof tryResolveColumn(reordered.schema, c as { name: string; qualifier?: string }) !== 'number')) return unchanged;
  return projectColumns(reordered, columns);
}

function countCross(plan: LogicalPlan): number {
  return (plan.op === 'join' && plan.type === 'cross' ? 1 : 0) + planChildren(plan).reduce((n, c) => n + countCross(c), 0);
}

/** The original join shape over rewritten leaves. */
function rebuildOriginal(plan: LogicalPlan, leaves: LogicalPlan[]): LogicalPlan {
  let next = 0;
  const walk = (p: LogicalPlan): LogicalPlan => {
    if (p.op === 'join' && (p.type === 'inner' || p.type === 'cross')) return joinNode(walk(p.left), walk(p.right), p.type, p.condition);
    return leaves[next++]!;
  };
  return walk(plan);
}

export const reorderCrossJoins: Rule = {
  name: 'ReorderCrossJoins',
  apply: reorder,
};
