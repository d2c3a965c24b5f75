/**
 * Moves conjuncts of a filter below the projection it sits on, rewriting references to computed
 * columns into the expressions that compute them (`WHERE total > 5` over `a + b AS total` becomes
 * `WHERE a + b > 5` under the projection).
 */
import { filterNode, rebuildNode } from '../plan/rebuild.js';
import { conjunction, containsAggregate, containsWindow, isNondeterministic, splitConjunction, transformExpr, transformPlan } from '../plan/expr-walk.js';
import { tryResolveColumn } from '../plan/schema.js';
import type { Expr, LogicalPlan } from '../plan/types.js';
import type { Rule } from './rule.js';

type Project = Extract<LogicalPlan, { op: 'project' }>;

/** The conjunct over the projection's input, or undefined when it cannot be expressed there. */
function inlineProjection(conjunct: Expr, project: Project): Expr | undefined {
  if (isNondeterministic(conjunct)) return undefined;
  let pushable = true;
  const rewritten = transformExpr(conjunct, (e) => {
    if (e.kind !== 'column') return e;
    const index = tryResolveColumn(project.schema, e);
    if (typeof index !== 'number') {
      pushable = false;
      return e;
    }
    const source = project.exprs[index]!;
    const computed = source.kind === 'alias' ? source.expr : source;
    if (isNondeterministic(computed) || containsAggregate(computed) || containsWindow(computed)) pushable = false;
    return computed;
  });
  return pushable ? rewritten : undefined;
}

export const pushFilterThroughProject: Rule = {
  name: 'PushFilterThroughProject',
  apply: (plan) =>
    transformPlan(plan, (node) => {
      if (node.op !== 'filter' || node.input.op !== 'project') return node;
      const project = node.input;
      const pushed: Expr[] = [];
      const kept: Expr[] = [];
      for (const c of splitConjunction(node.predicate)) {
        const inlined = inlineProjection(c, project);
        if (inlined) pushed.push(inlined);
        else kept.push(c);
      }
      if (pushed.length === 0) return node;
      const moved = rebuildNode(project, [filterNode(project.input, conjunction(pushed)!)]);
      const remaining = conjunction(kept);
      return remaining ? filterNode(moved, remaining) : moved;
    }),
};
