/** Merges a filter directly over another filter into one conjunction, so pushdown moves them together. */
import { conjunction, splitConjunction, transformPlan } from '../plan/expr-walk.js';
import type { Rule } from './rule.js';

export const combineFilters: Rule = {
  name: 'CombineFilters',
  apply: (plan) =>
    transformPlan(plan, (node) => {
      if (node.op !== 'filter' || node.input.op !== 'filter') return node;
      const predicate = conjunction([...splitConjunction(node.input.predicate), ...splitConjunction(node.predicate)])!;
      return { ...node.input, predicate };
    }),
};
