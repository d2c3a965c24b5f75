/**
 * Swaps a filter with a node that passes rows through unchanged and does not depend on which rows
 * it sees: sort, distinct, repartition and a relation alias. (Never limit: filtering first would
 * change which rows are kept.)
 */
import { filterNode, rebuildNode } from '../plan/rebuild.js';
import { isNondeterministic, transformExpr, transformPlan } from '../plan/expr-walk.js';
import { tryResolveColumn } from '../plan/schema.js';
import type { Expr, LogicalPlan } from '../plan/types.js';
import type { Rule } from './rule.js';

/** Rewrites columns qualified by the alias into the alias input's own names; undefined if one does not map. */
function throughAlias(predicate: Expr, node: Extract<LogicalPlan, { op: 'alias' }>): Expr | undefined {
  let ok = true;
  const rewritten = transformExpr(predicate, (e) => {
    if (e.kind !== 'column') return e;
    const index = tryResolveColumn(node.schema, e);
    if (typeof index !== 'number') {
      ok = false;
      return e;
    }
    const field = node.input.schema.fields[index]!;
    const plain: Expr = field.qualifier ? { kind: 'column', name: field.name, qualifier: field.qualifier } : { kind: 'column', name: field.name };
    if (tryResolveColumn(node.input.schema, plain as { name: string; qualifier?: string }) !== index) ok = false;
    return plain;
  });
  return ok ? rewritten : undefined;
}

export const pushFilterThroughPassthrough: Rule = {
  name: 'PushFilterThroughPassthrough',
  apply: (plan) =>
    transformPlan(plan, (node) => {
      if (node.op !== 'filter' || isNondeterministic(node.predicate)) return node;
      const below = node.input;
      switch (below.op) {
        case 'sort':
        case 'distinct':
        case 'repartition':
          return rebuildNode(below, [filterNode(below.input, node.predicate)]);
        case 'alias': {
          const rewritten = throughAlias(node.predicate, below);
          return rewritten ? rebuildNode(below, [filterNode(below.input, rewritten)]) : node;
        }
        default:
          return node;
      }
    }),
};
