/** Removes a projection that passes its input's columns through unchanged, in order. */
import { transformPlan } from '../plan/expr-walk.js';
import type { LogicalPlan } from '../plan/types.js';
import type { Rule } from './rule.js';

function isIdentity(node: Extract<LogicalPlan, { op: 'project' }>): boolean {
  const input = node.input.schema.fields;
  if (node.exprs.length !== input.length) return false;
  return node.exprs.every((e, i) => {
    const field = input[i]!;
    const out = node.schema.fields[i]!;
    // The output must keep the name, type and qualifier parents may refer to.
    return e.kind === 'column' && out.name === field.name && out.type === field.type && out.qualifier === field.qualifier;
  });
}

export const removeNoopProject: Rule = {
  name: 'RemoveNoopProject',
  apply: (plan) => transformPlan(plan, (node) => (node.op === 'project' && isIdentity(node) ? node.input : node)),
};
