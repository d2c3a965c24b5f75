/**
 * Copies a filter over a union into each of its inputs, renaming columns by position (a union's
 * columns take the first input's names).
 */
import { filterNode, rebuildNode } from '../plan/rebuild.js';
import { columnRefs, isNondeterministic, transformExpr, transformPlan } from '../plan/expr-walk.js';
import { tryResolveColumn } from '../plan/schema.js';
import type { Expr, LogicalPlan } from '../plan/types.js';
import type { Rule } from './rule.js';

function forInput(predicate: Expr, union: LogicalPlan, input: LogicalPlan): Expr {
  return transformExpr(predicate, (e) => {
    if (e.kind !== 'column') return e;
    const field = input.schema.fields[tryResolveColumn(union.schema, e) as number]!;
    return field.qualifier ? { kind: 'column', name: field.name, qualifier: field.qualifier } : { kind: 'column', name: field.name };
  });
}

export const pushFilterThroughUnion: Rule = {
  name: 'PushFilterThroughUnion',
  apply: (plan) =>
    transformPlan(plan, (node) => {
      if (node.op !== 'filter' || node.input.op !== 'union' || isNondeterministic(node.predicate)) return node;
      const union = node.input;
      if (columnRefs(node.predicate).some((r) => typeof tryResolveColumn(union.schema, r) !== 'number')) return node;
      const inputs = union.inputs.map((input) => filterNode(input, forInput(node.predicate, union, input)));
      return rebuildNode(union, inputs);
    }),
};
