/**
 * Reads only the columns a query uses: walks the plan top-down with the set of columns each node's
 * parent needs, drops unused projected expressions, and sets file scans' `projection` so Parquet
 * readers skip the other columns entirely.
 */
import { columnRefs, planChildren } from '../plan/expr-walk.js';
import { projectColumns, projectSubset, rebuildNode } from '../plan/rebuild.js';
import { columnExpr, tryResolveColumn } from '../plan/schema.js';
import type { Expr, LogicalPlan, Schema } from '../plan/types.js';
import type { Rule } from './rule.js';

/** Indexes of the fields a node must still produce; 'all' keeps its schema intact. */
type Need = Set<number> | 'all';

function refsIn(exprs: Expr[], schema: Schema): Set<number> {
  const indexes = new Set<number>();
  for (const e of exprs) {
    for (const ref of columnRefs(e)) {
      const index = tryResolveColumn(schema, ref);
      if (typeof index === 'number') indexes.add(index);
    }
  }
  return indexes;
}

function union(need: Need, more: Set<number>): Need {
  return need === 'all' ? 'all' : new Set([...need, ...more]);
}

/**
 * `narrowed` says the parent is a projection that passes on only what it needs; otherwise columns
 * read only by the scan's own filters are dropped by a projection over it, so they are not carried
 * on (TPC-H Q13 would broadcast every order's comment after filtering on it).
 */
function pruneScan(scan: Extract<LogicalPlan, { op: 'scan' }>, need: Need, narrowed = false): LogicalPlan {
  if (need === 'all') return scan;
  // The scan's own filters read their columns from the scan's schema (partition columns included),
  // so those stay; a query that needs no column at all (count(*)) still needs the rows: keep one.
  const withFilters = new Set([...need, ...refsIn(scan.filters, scan.schema)]);
  const keep = withFilters.size === 0 ? new Set([0]) : withFilters;
  const fields = scan.schema.fields.filter((_, i) => keep.has(i));
  const pruned = keep.size === scan.schema.fields.length ? scan : { ...scan, projection: fields.map((f) => f.name), schema: { fields } };
  const filterOnly = [...keep].filter((i) => !need.has(i));
  if (narrowed || need.size === 0 || filterOnly.length === 0) return pruned;
  return projectColumns(pruned, [...need].sort((a, b) => a - b).map((i) => columnExpr(scan.schema.fields[i]!)));
}


function prune(plan: LogicalPlan, need: Need): LogicalPlan {
  const rebuilt = (children: LogicalPlan[]) => (children.every((c, i) => c === planChildren(plan)[i]) ? plan : rebuildNode(plan, children));
  switch (plan.op) {
    case 'scan':
      return pruneScan(plan, need);
    case 'values':
    case 'range':
      return plan;
    case 'opaque':
    case 'distinct':
    case 'union':
      return rebuilt(planChildren(plan).map((c) => prune(c, 'all')));
    case 'project': {
      const indexes = plan.exprs.map((_, i) => i).filter((i) => need === 'all' || need.has(i));
      const keep = indexes.length > 0 ? indexes : [0];
      const inputNeed = refsIn(keep.map((i) => plan.exprs[i]!), plan.input.schema);
      const input = plan.input.op === 'scan' ? pruneScan(plan.input, inputNeed, true) : prune(plan.input, inputNeed);
      return input === plan.input && keep.length === plan.exprs.length ? plan : projectSubset(plan, input, keep);
    }
    case 'filter':
      return rebuilt([prune(plan.input, union(need, refsIn([plan.predicate], plan.input.schema)))]);
    case 'aggregate': {
      // Unused aggregates are dropped; grouping keys stay, since they define the rows.
      const keyCount = plan.groupBy.length;
      const used = plan.aggs.map((_, i) => i).filter((i) => need === 'all' || need.has(keyCount + i));
      // Without keys an aggregation must still compute something to yield its one row.
      const aggIndexes = used.length === 0 && keyCount === 0 ? [0] : used;
      const aggs = aggIndexes.map((i) => plan.aggs[i]!);
      const input = prune(plan.input, refsIn([...plan.groupBy, ...aggs], plan.input.schema));
      if (input === plan.input && aggs.length === plan.aggs.length) return plan;
      const fields = [...plan.schema.fields.slice(0, keyCount), ...aggIndexes.map((i) => plan.schema.fields[keyCount + i]!)];
      return rebuildNode({ ...plan, aggs, schema: { fields } }, [input]);
    }
    case 'sort':
      return rebuilt([prune(plan.input, union(need, refsIn(plan.keys.map((k) => k.expr), plan.input.schema)))]);
    case 'repartition':
      return rebuilt([prune(plan.input, union(need, refsIn(plan.keys, plan.input.schema)))]);
    case 'limit':
    case 'alias':
      return rebuilt([prune(plan.input, need)]);
    case 'window': {
      const width = plan.input.schema.fields.length;
      const windowIndexes = plan.windows.map((_, i) => i).filter((i) => need === 'all' || need.has(width + i));
      // A window node computes at least one window; an unused one is kept rather than the node removed.
      const keep = windowIndexes.length > 0 ? windowIndexes : [0];
      const windows = keep.map((i) => plan.windows[i]!);
      const fromAbove: Need = need === 'all' ? 'all' : new Set([...need].filter((i) => i < width));
      const input = prune(plan.input, union(fromAbove, refsIn(windows, plan.input.schema)));
      if (input === plan.input && windows.length === plan.windows.length) return plan;
      const fields = [...plan.schema.fields.slice(0, width), ...keep.map((i) => plan.schema.fields[width + i]!)];
      return rebuildNode({ ...plan, windows, schema: { fields } }, [input]);
    }
    case 'join': {
      const width = plan.left.schema.fields.length;
      const combined = { fields: [...plan.left.schema.fields, ...plan.right.schema.fields] };
      const condition = plan.condition ? refsIn([plan.condition], combined) : new Set<number>();
      const all = need === 'all' ? new Set(plan.schema.fields.map((_, i) => i)) : need;
      const wanted = new Set([...all, ...condition]);
      const leftNeed = new Set([...wanted].filter((i) => i < width));
      const rightNeed = new Set([...wanted].filter((i) => i >= width).map((i) => i - width));
      return rebuilt([prune(plan.left, leftNeed), prune(plan.right, rightNeed)]);
    }
  }
}

export const projectionPruning: Rule = {
  name: 'ProjectionPruning',
  apply: (plan) => prune(plan, 'all'),
};
