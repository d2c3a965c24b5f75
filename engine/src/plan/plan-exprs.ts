/** Rewriting the expressions a single plan node holds, keeping the node when nothing changed. */
import type { Expr, LogicalPlan, SortKey } from './types.js';

function mapList(list: Expr[], fn: (e: Expr) => Expr): Expr[] {
  const mapped = list.map(fn);
  return mapped.every((e, i) => e === list[i]) ? list : mapped;
}

function mapKeys(keys: SortKey[], fn: (e: Expr) => Expr): SortKey[] {
  const mapped = keys.map((k) => {
    const expr = fn(k.expr);
    return expr === k.expr ? k : { ...k, expr };
  });
  return mapped.every((k, i) => k === keys[i]) ? keys : mapped;
}

/** The node with `fn` applied to each of its top-level expressions (the node itself when none changed). */
export function mapNodeExprs(plan: LogicalPlan, fn: (e: Expr) => Expr): LogicalPlan {
  switch (plan.op) {
    case 'scan': {
      const filters = mapList(plan.filters, fn);
      return filters === plan.filters ? plan : { ...plan, filters };
    }
    case 'project': {
      const exprs = mapList(plan.exprs, fn);
      return exprs === plan.exprs ? plan : { ...plan, exprs };
    }
    case 'filter': {
      const predicate = fn(plan.predicate);
      return predicate === plan.predicate ? plan : { ...plan, predicate };
    }
    case 'aggregate': {
      const groupBy = mapList(plan.groupBy, fn);
      const aggs = mapList(plan.aggs, fn);
      return groupBy === plan.groupBy && aggs === plan.aggs ? plan : { ...plan, groupBy, aggs };
    }
    case 'join': {
      if (!plan.condition) return plan;
      const condition = fn(plan.condition);
      return condition === plan.condition ? plan : { ...plan, condition };
    }
    case 'sort': {
      const keys = mapKeys(plan.keys, fn);
      return keys === plan.keys ? plan : { ...plan, keys };
    }
    case 'repartition': {
      const keys = mapList(plan.keys, fn);
      return keys === plan.keys ? plan : { ...plan, keys };
    }
    case 'window': {
      const windows = mapList(plan.windows, fn);
      return windows === plan.windows ? plan : { ...plan, windows };
    }
    default:
      return plan;
  }
}
