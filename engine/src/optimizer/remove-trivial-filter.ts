/** Drops filters whose condition is the literal TRUE (typically left by constant folding). */
import { transformPlan } from '../plan/expr-walk.js';
import type { Rule } from './rule.js';

export const removeTrivialFilter: Rule = {
  name: 'RemoveTrivialFilter',
  apply: (plan) =>
    transformPlan(plan, (node) => {
      if (node.op === 'filter' && node.predicate.kind === 'literal' && node.predicate.value === true) return node.input;
      if (node.op === 'scan' && node.filters.some((f) => f.kind === 'literal' && f.value === true)) {
        return { ...node, filters: node.filters.filter((f) => !(f.kind === 'literal' && f.value === true)) };
      }
      return node;
    }),
};
