/**
 * Following columns down a plan: which input of a node outputs some of the node's columns
 * unchanged, and where they sit in that input. Columns are tracked by position, so aliases and
 * renaming projections do not lose them.
 *
 * Two ways down:
 * - 'exact': a predicate on these columns may move to the input and keep the node's answer (the
 *   rows a filter on them keeps, and nothing else, are what changes). Used to push semi joins down.
 * - 'superset': every value the node outputs in these columns is also in the input's (more rows
 *   may be there). Used to find a cheap source of the keys a join can ever match.
 */
import { tryResolveColumn } from '../plan/schema.js';
import type { Expr, LogicalPlan } from '../plan/types.js';
import { WHERE_TARGETS } from './push-filter-through-join.js';

export type Descent = 'exact' | 'superset';

export interface CarryingChild {
  /** Position of the input in `planChildren` order. */
  child: number;
  /** The columns' positions in that input's schema, in the order asked. */
  columns: number[];
}

export function carryingChild(node: LogicalPlan, columns: number[], descent: Descent): CarryingChild | undefined {
  if (columns.length === 0) return undefined;
  switch (node.op) {
    case 'filter':
    case 'sort':
    case 'distinct':
    case 'repartition':
    case 'alias':
      return { child: 0, columns };
    case 'limit':
      // Filtering before a limit changes which rows it keeps; the values it keeps are still the input's.
      return descent === 'superset' ? { child: 0, columns } : undefined;
    case 'window':
      // Window values depend on the rows around them, so only 'superset' passes (the input's own columns).
      return descent === 'superset' && columns.every((c) => c < node.input.schema.fields.length) ? { child: 0, columns } : undefined;
    case 'project':
      return through(columns, (c) => node.exprs[c], node.input);
    case 'aggregate':
      // Each group is made of the rows with its key, so a predicate on keys filters whole groups.
      return through(columns, (c) => (c < node.groupBy.length ? node.groupBy[c] : undefined), node.input);
    case 'join':
      return joinSide(node, columns, descent);
    default:
      return undefined;
  }
}

/** The input positions of plain columns (maybe renamed) that `exprAt` gives for each output column. */
function through(columns: number[], exprAt: (column: number) => Expr | undefined, input: LogicalPlan): CarryingChild | undefined {
  const mapped: number[] = [];
  for (const column of columns) {
    const expr = exprAt(column);
    const plain = expr?.kind === 'alias' ? expr.expr : expr;
    if (plain?.kind !== 'column') return undefined;
    const index = tryResolveColumn(input.schema, plain);
    if (typeof index !== 'number') return undefined;
    mapped.push(index);
  }
  return { child: 0, columns: mapped };
}

function joinSide(join: Extract<LogicalPlan, { op: 'join' }>, columns: number[], descent: Descent): CarryingChild | undefined {
  const leftWidth = join.left.schema.fields.length;
  const side = columns.every((c) => c < leftWidth) ? 'left' : columns.every((c) => c >= leftWidth) ? 'right' : undefined;
  if (!side) return undefined;
  // An outer join's padded side has rows its input never had (NULLs), and a filter there would turn
  // matches into padding rather than drop rows; the values it does have are still the input's.
  if (descent === 'exact' && !WHERE_TARGETS[join.type].includes(side)) return undefined;
  return side === 'left' ? { child: 0, columns } : { child: 1, columns: columns.map((c) => c - leftWidth) };
}

/** One step of a walk down: the node passed and which of its inputs the walk went into. */
export interface WalkStep {
  node: LogicalPlan;
  child: number;
}

/** Follows the columns as far down as they go (`enter` may refuse a step); returns the path and where it ended. */
export function followColumns(
  from: LogicalPlan,
  columns: number[],
  descent: Descent,
  enter: (child: LogicalPlan, step: WalkStep) => boolean = () => true,
): { path: WalkStep[]; at: LogicalPlan; columns: number[] } {
  const path: WalkStep[] = [];
  let at = from;
  let current = columns;
  for (;;) {
    const next = carryingChild(at, current, descent);
    if (!next) break;
    const child = childAt(at, next.child);
    const step = { node: at, child: next.child };
    if (!enter(child, step)) break;
    path.push(step);
    at = child;
    current = next.columns;
  }
  return { path, at, columns: current };
}

function childAt(node: LogicalPlan, index: number): LogicalPlan {
  if (node.op === 'join') return index === 0 ? node.left : node.right;
  if ('input' in node) return node.input;
  throw new Error(`internal: ${node.op} has no input ${index}`);
}
