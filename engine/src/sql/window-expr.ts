/** Window function calls (`f(...) OVER (PARTITION BY ... ORDER BY ... frame)`) -> window expressions. */
import type { Expr, WindowSpec } from '../plan/types.js';
import { UntranslatableSql } from './errors.js';
import { translateExpr, translateOrders, type ExprContext } from './expr.js';
import type { ParsedNode } from './parsed.js';

const PLAIN_FUNCTION = /^[A-Za-z_][A-Za-z0-9_]*$/;

const FRAME_BOUNDS: Record<string, string> = {
  UNBOUNDED_PRECEDING: 'UNBOUNDED PRECEDING',
  UNBOUNDED_FOLLOWING: 'UNBOUNDED FOLLOWING',
  CURRENT_ROW_ROWS: 'CURRENT ROW',
  CURRENT_ROW_RANGE: 'CURRENT ROW',
  CURRENT_ROW_GROUPS: 'CURRENT ROW',
  EXPR_PRECEDING_ROWS: 'PRECEDING',
  EXPR_PRECEDING_RANGE: 'PRECEDING',
  EXPR_FOLLOWING_ROWS: 'FOLLOWING',
  EXPR_FOLLOWING_RANGE: 'FOLLOWING',
};

function frameUnit(bound: string): string {
  return bound.endsWith('_ROWS') ? 'ROWS' : bound.endsWith('_GROUPS') ? 'GROUPS' : 'RANGE';
}

function frameBound(bound: string, offset: ParsedNode | undefined): string {
  const text = FRAME_BOUNDS[bound];
  if (!text) throw new UntranslatableSql(`window frame bound ${bound}`);
  if (!bound.startsWith('EXPR_')) return text;
  const value = offset?.class === 'CONSTANT' ? offset.value?.value : undefined;
  if (typeof value !== 'number') throw new UntranslatableSql('window frame with a non-constant offset');
  return `${value} ${text}`;
}

/** The frame clause, or undefined for DuckDB's default frame. */
function windowFrame(node: ParsedNode): string | undefined {
  const start = String(node.start);
  const end = String(node.end);
  if (start === 'UNBOUNDED_PRECEDING' && end === 'CURRENT_ROW_RANGE') return undefined;
  const units = [start, end].filter((b) => !b.startsWith('UNBOUNDED')).map(frameUnit);
  const unit = units[0] ?? 'ROWS';
  return `${unit} BETWEEN ${frameBound(start, node.start_expr)} AND ${frameBound(end, node.end_expr)}`;
}

export async function windowCall(node: ParsedNode, cx: ExprContext): Promise<Expr> {
  if (node.ignore_nulls || (node.exclude_clause && node.exclude_clause !== 'NO_OTHER') || node.filter_expr || node.arg_orders?.length > 0) {
    throw new UntranslatableSql('window function with IGNORE NULLS, EXCLUDE, FILTER or an argument ORDER BY');
  }
  const recurse = (c: ParsedNode) => translateExpr(c, cx);
  const args = await Promise.all(((node.children ?? []) as ParsedNode[]).map(recurse));
  if (node.offset_expr) args.push(await recurse(node.offset_expr));
  if (node.default_expr) args.push(await recurse(node.default_expr));
  const orderBy = await translateOrders((node.orders ?? []) as ParsedNode[], cx);
  const frame = windowFrame(node);
  const spec: WindowSpec = { partitionBy: await Promise.all(((node.partitions ?? []) as ParsedNode[]).map(recurse)), orderBy, ...(frame ? { frame } : {}) };
  const fn = String(node.function_name).toLowerCase();
  if (!PLAIN_FUNCTION.test(fn)) throw new UntranslatableSql(`window function ${fn}`);
  return { kind: 'window', fn, args, ...(node.distinct ? { distinct: true } : {}), spec };
}
