/**
 * select() and withColumn() in PySpark's sense: aggregates without groupBy aggregate the whole
 * DataFrame, and window functions anywhere in an expression are computed by a window node first.
 */
import { aggregatePlan, named, projectPlan, windowPlan } from '../plan/build.js';
import { defaultName } from '../plan/expr-text.js';
import { containsAggregate, containsWindow, transformExpr } from '../plan/expr-walk.js';
import type { Expr, LogicalPlan } from '../plan/types.js';

/** Replaces window calls by columns of a window node below the projection. */
function extractWindows(input: LogicalPlan, exprs: Expr[]): { input: LogicalPlan; exprs: Expr[] } {
  if (!exprs.some(containsWindow)) return { input, exprs };
  const windows: Expr[] = [];
  const taken = new Set(input.schema.fields.map((f) => f.name.toLowerCase()));
  const fresh = (preferred: string) => {
    let name = preferred;
    for (let i = 1; taken.has(name.toLowerCase()); i++) name = `${preferred}_${i}`;
    taken.add(name.toLowerCase());
    return name;
  };
  const rewritten = exprs.map((e) => {
    // A top-level `window AS name` keeps its name; nested window calls get a generated one.
    if (e.kind === 'alias' && e.expr.kind === 'window') {
      const name = fresh(e.name);
      windows.push({ kind: 'alias', expr: e.expr, name });
      return name === e.name ? ({ kind: 'column', name } as Expr) : ({ kind: 'alias', expr: { kind: 'column', name }, name: e.name } as Expr);
    }
    const outputName = named(e).kind === 'alias' ? (named(e) as { name: string }).name : undefined;
    const replaced = transformExpr(e, (inner) => {
      if (inner.kind !== 'window') return inner;
      const name = fresh(inner === e ? defaultName(inner) : `_w${windows.length}`);
      windows.push({ kind: 'alias', expr: inner, name });
      return { kind: 'column', name };
    });
    return outputName && replaced.kind === 'column' && replaced.name !== outputName ? ({ kind: 'alias', expr: replaced, name: outputName } as Expr) : replaced;
  });
  return { input: windowPlan(input, windows), exprs: rewritten };
}

export function selectPlan(input: LogicalPlan, exprs: Expr[]): LogicalPlan {
  if (exprs.some(containsAggregate) && !exprs.some(containsWindow)) return aggregatePlan(input, [], exprs);
  const extracted = extractWindows(input, exprs);
  return projectPlan(extracted.input, extracted.exprs);
}
