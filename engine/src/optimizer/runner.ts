/** Applies rules over and over until none changes the plan (a fixed point). */
import type { LogicalPlan } from '../plan/types.js';
import type { Rule } from './rule.js';

const MAX_PASSES = 50;

export interface OptimizeTrace {
  /** Rule names in the order they changed the plan. */
  applied: string[];
  passes: number;
}

export function runRules(plan: LogicalPlan, rules: Rule[], trace?: OptimizeTrace): LogicalPlan {
  let current = plan;
  for (let pass = 1; pass <= MAX_PASSES; pass++) {
    const before = current;
    for (const rule of rules) {
      const next = rule.apply(current);
      if (next !== current) trace?.applied.push(rule.name);
      current = next;
    }
    if (trace) trace.passes = pass;
    if (current === before) return current;
  }
  // Rules that keep rewriting each other's output are a bug in the rules, not in the query.
  throw new Error(`optimizer did not reach a fixed point after ${MAX_PASSES} passes (rules: ${rules.map((r) => r.name).join(', ')})`);
}
