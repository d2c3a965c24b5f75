/**
 * Moves a semi or anti join down to the input that provides the columns its condition reads, past
 * joins, aggregations (when it reads only grouping keys), projections and filters: it keeps or drops
 * each row by those columns alone, like a filter, and dropping rows early spares every operator
 * above them (`EXISTS`/`IN` over a join of orders and lineitem filters orders, not the join). Unlike
 * a filter it is not free per row, so it stays above an inner join that narrows the rows first.
 */
import { rebuildNode, joinNode } from '../plan/rebuild.js';
import { columnRefs, planChildren, transformExpr, transformPlan } from '../plan/expr-walk.js';
import { columnExpr, tryResolveColumn } from '../plan/schema.js';
import type { Expr, LogicalPlan } from '../plan/types.js';
import { followColumns, type WalkStep } from './column-carrier.js';
import { joinNarrowsOtherSide } from './narrowing-join.js';
import type { Rule } from './rule.js';

type Join = Extract<LogicalPlan, { op: 'join' }>;

export const pushSemiJoinDown: Rule = {
  name: 'PushSemiJoinDown',
  apply: (plan) => transformPlan(plan, (node) => (node.op === 'join' && (node.type === 'semi' || node.type === 'anti') ? pushDown(node) : node)),
};

function pushDown(join: Join): LogicalPlan {
  if (!join.condition) return join;
  const reads = leftColumnsRead(join);
  if (!reads || reads.length === 0) return join;
  // Not into an input of an inner join that the join narrows: there it would probe more rows, not fewer.
  const { path, at, columns } = followColumns(join.left, reads, 'exact', (_child, step) => !joinNarrowsOtherSide(step.node, step.child));
  // Passing only filters, aliases, projections or other semi joins gains nothing, and a filter or
  // semi join pushed below this one would swap back with it forever.
  if (!path.some((step) => step.node.op === 'aggregate' || (step.node.op === 'join' && step.node.type !== 'semi' && step.node.type !== 'anti'))) return join;
  const condition = renameLeftColumns(join, reads, at, columns);
  if (!condition) return join;
  return rebuildPath(path, joinNode(at, join.right, join.type, condition));
}

/** Positions in the left input of the left columns the condition reads; undefined if one does not resolve. */
function leftColumnsRead(join: Join): number[] | undefined {
  const combined = { fields: [...join.left.schema.fields, ...join.right.schema.fields] };
  const leftWidth = join.left.schema.fields.length;
  const read = new Set<number>();
  for (const ref of columnRefs(join.condition!)) {
    const index = tryResolveColumn(combined, ref);
    if (typeof index !== 'number') return undefined;
    if (index < leftWidth) read.add(index);
  }
  return [...read];
}

/** The condition with each left column named as `target` names it, checked to resolve the same way there. */
function renameLeftColumns(join: Join, reads: number[], target: LogicalPlan, columns: number[]): Expr | undefined {
  const combined = { fields: [...join.left.schema.fields, ...join.right.schema.fields] };
  const leftWidth = join.left.schema.fields.length;
  const moved = { fields: [...target.schema.fields, ...join.right.schema.fields] };
  const targetWidth = target.schema.fields.length;
  let ok = true;
  const condition = transformExpr(join.condition!, (e) => {
    if (e.kind === 'sql') ok = false; // its refs are text we do not rewrite
    if (e.kind !== 'column') return e;
    const index = tryResolveColumn(combined, e);
    if (typeof index !== 'number') {
      ok = false;
      return e;
    }
    if (index >= leftWidth) {
      if (tryResolveColumn(moved, e) !== targetWidth + index - leftWidth) ok = false;
      return e;
    }
    const position = columns[reads.indexOf(index)]!;
    const field = target.schema.fields[position]!;
    const renamed = columnExpr(field);
    if (tryResolveColumn(moved, renamed) !== position) ok = false;
    return renamed;
  });
  return ok ? condition : undefined;
}

/** Rebuilds the nodes of `path` from the bottom up with `replacement` where the walk ended. */
function rebuildPath(path: WalkStep[], replacement: LogicalPlan): LogicalPlan {
  let rebuilt = replacement;
  for (let i = path.length - 1; i >= 0; i--) {
    const { node, child } = path[i]!;
    const children = planChildren(node).map((c, at) => (at === child ? rebuilt : c));
    rebuilt = rebuildNode(node, children);
  }
  return rebuilt;
}
