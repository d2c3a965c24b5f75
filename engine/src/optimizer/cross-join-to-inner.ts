/**
 * Turns a filter over a cross (or inner) join into join conditions: conjuncts reading both inputs
 * become the ON clause, so `FROM a, b WHERE a.k = b.k` is an equi-join instead of a product.
 */
import { filterNode, joinNode } from '../plan/rebuild.js';
import { conjunction, splitConjunction, transformPlan } from '../plan/expr-walk.js';
import type { Expr } from '../plan/types.js';
import type { Rule } from './rule.js';
import { sideOf } from './side-of.js';

export const crossJoinToInner: Rule = {
  name: 'CrossJoinToInner',
  apply: (plan) =>
    transformPlan(plan, (node) => {
      if (node.op !== 'filter' || node.input.op !== 'join') return node;
      const join = node.input;
      if (join.type !== 'cross' && join.type !== 'inner') return node;
      const both: Expr[] = [];
      const rest: Expr[] = [];
      for (const c of splitConjunction(node.predicate)) (sideOf(c, join.left, join.right) === 'both' ? both : rest).push(c);
      if (both.length === 0) return node;
      const condition = conjunction([...(join.condition ? splitConjunction(join.condition) : []), ...both])!;
      const inner = joinNode(join.left, join.right, 'inner', condition);
      const remaining = conjunction(rest);
      return remaining ? filterNode(inner, remaining) : inner;
    }),
};
