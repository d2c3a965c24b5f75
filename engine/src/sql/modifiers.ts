/** ORDER BY / LIMIT / OFFSET / DISTINCT modifiers of a query node. */
import type { Expr, LogicalPlan, SortKey } from '../plan/types.js';
import type { QueryEnv } from './context.js';
import { SqlError, UntranslatableSql } from './errors.js';
import { sortDirection, translateExpr } from './expr.js';
import type { ParsedNode } from './parsed.js';
import { scopeOf } from './scope.js';

export function constantInteger(expr: ParsedNode | undefined | null): number | undefined {
  if (!expr || expr.class !== 'CONSTANT' || expr.value?.is_null) return undefined;
  const value = expr.value?.value;
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : undefined;
}

/** `ORDER BY ALL`: every output column in order, with the one direction given. */
export function isOrderByAll(orders: ParsedNode[]): boolean {
  return orders.length === 1 && orders[0]!.expression?.class === 'STAR' && orders[0]!.expression.columns === true && !orders[0]!.expression.relation_name;
}

export function limitPlan(plan: LogicalPlan, modifier: ParsedNode): LogicalPlan {
  if (modifier.type !== 'LIMIT_MODIFIER') throw new UntranslatableSql(`${String(modifier.type).toLowerCase()}`);
  const limit = modifier.limit ? constantInteger(modifier.limit) : Number.MAX_SAFE_INTEGER;
  const offset = modifier.offset ? constantInteger(modifier.offset) : 0;
  if (limit === undefined || offset === undefined) throw new UntranslatableSql('LIMIT or OFFSET that is not an integer constant');
  if (limit < 0 || offset < 0) throw new SqlError('LIMIT and OFFSET must not be negative');
  return { op: 'limit', input: plan, limit, offset, schema: plan.schema };
}

export function hasDistinct(modifiers: ParsedNode[]): boolean {
  const distinct = modifiers.find((m) => m.type === 'DISTINCT_MODIFIER');
  if (distinct && (distinct.distinct_on_targets ?? []).length > 0) throw new UntranslatableSql('DISTINCT ON');
  return Boolean(distinct);
}

/** Modifiers over an output whose columns are `outputs` (a set operation): ORDER BY names or ordinals. */
export async function applyModifiers(plan: LogicalPlan, modifiers: ParsedNode[], env: QueryEnv, outputs: Expr[]): Promise<LogicalPlan> {
  let result = hasDistinct(modifiers) ? ({ op: 'distinct', input: plan, schema: plan.schema } as LogicalPlan) : plan;
  for (const modifier of modifiers) {
    if (modifier.type === 'DISTINCT_MODIFIER') continue;
    if (modifier.type === 'ORDER_MODIFIER') {
      const keys: SortKey[] = [];
      const orders = modifier.orders as ParsedNode[];
      if (isOrderByAll(orders)) keys.push(...outputs.map((expr) => ({ expr, ...sortDirection(orders[0]!) })));
      else for (const order of orders) {
        const ordinal = constantInteger(order.expression);
        const expr = ordinal !== undefined ? outputs[ordinal - 1] : await translateExpr(order.expression, { t: env.t, scope: scopeOf(plan.schema.fields) });
        if (!expr) throw new SqlError(`ORDER BY position ${ordinal} is not in the select list (1 to ${outputs.length})`);
        keys.push({ expr, ...sortDirection(order) });
      }
      result = { op: 'sort', input: result, keys, schema: result.schema };
    } else {
      result = limitPlan(result, modifier);
    }
  }
  return result;
}
