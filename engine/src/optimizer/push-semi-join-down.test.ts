import { describe, expect, it } from 'vitest';
import { aggregatePlan, aliasPlan, filterPlan, joinPlan, limitPlan } from '../plan/build.js';
import type { Expr, LogicalPlan } from '../plan/types.js';
import { and, c, int, op, scanOf, shape } from './fixtures.test-util.js';
import { defaultRules, runRules } from './index.js';
import { pushSemiJoinDown } from './push-semi-join-down.js';

const orders = aliasPlan(scanOf('orders', ['o_id:INTEGER', 'o_cust:INTEGER']), 'o');
const lines = aliasPlan(scanOf('lineitem', ['l_order:INTEGER', 'l_qty:INTEGER']), 'l');
const late = aliasPlan(scanOf('late', ['late_order:INTEGER']), 'k');
const ordersWithLines = joinPlan(orders, lines, 'inner', op('=', c('o_id', 'o'), c('l_order', 'l')));
const isLate = op('=', c('o_id', 'o'), c('late_order', 'k'));

const conditionOf = (plan: LogicalPlan): Expr | undefined => (plan.op === 'join' ? plan.condition : undefined);

describe('push semi join down', () => {
  it('moves a semi join on one side of an inner join onto that side, below its alias, naming the columns as they are named there', () => {
    const pushed = pushSemiJoinDown.apply(joinPlan(ordersWithLines, late, 'semi', isLate));
    expect(shape(pushed)).toBe('join[inner](alias(join[semi](scan(orders), alias(scan(late)))), alias(scan(lineitem)))');
    const semi = pushed.op === 'join' && pushed.left.op === 'alias' ? pushed.left.input : pushed;
    expect(conditionOf(semi)).toEqual(op('=', c('o_id'), c('late_order', 'k')));
  });

  it('moves an anti join below an aggregation when it reads only grouping keys, and not when it reads an aggregate', () => {
    const perOrder = aggregatePlan(lines, [c('l_order', 'l')], [{ kind: 'alias', expr: { kind: 'agg', fn: 'sum', args: [c('l_qty', 'l')], distinct: false }, name: 'qty' }]);
    const byKey = pushSemiJoinDown.apply(joinPlan(perOrder, late, 'anti', op('=', c('l_order'), c('late_order', 'k'))));
    expect(shape(byKey)).toBe('aggregate(alias(join[anti](scan(lineitem), alias(scan(late)))))');
    const byTotal = joinPlan(perOrder, late, 'anti', op('=', c('qty'), c('late_order', 'k')));
    expect(pushSemiJoinDown.apply(byTotal)).toBe(byTotal);
  });

  it('keeps a semi join above a limit and off the padded side of a left join', () => {
    const limited = joinPlan(limitPlan(ordersWithLines, 10), late, 'semi', isLate);
    expect(pushSemiJoinDown.apply(limited)).toBe(limited);
    const padded = joinPlan(joinPlan(lines, orders, 'left', op('=', c('o_id', 'o'), c('l_order', 'l'))), late, 'semi', isLate);
    expect(pushSemiJoinDown.apply(padded)).toBe(padded);
  });

  it('stays above an inner join whose other input is restricted, where it would probe more rows', () => {
    const narrowing = joinPlan(filterPlan(lines, op('>', c('l_qty', 'l'), int(40))), orders, 'inner', op('=', c('o_id', 'o'), c('l_order', 'l')));
    const semi = joinPlan(narrowing, late, 'semi', isLate);
    expect(pushSemiJoinDown.apply(semi)).toBe(semi);
  });

  it('passes filters only on its way past a join', () => {
    const filtered = filterPlan(orders, op('>', c('o_cust', 'o'), int(3)));
    const overFilter = joinPlan(filtered, late, 'semi', isLate);
    expect(pushSemiJoinDown.apply(overFilter)).toBe(overFilter);
  });

  it('reaches a fixed point with two semi joins and a filter over the same join', () => {
    const stacked = filterPlan(
      joinPlan(joinPlan(ordersWithLines, late, 'semi', isLate), late, 'anti', op('=', c('l_order', 'l'), c('late_order', 'k'))),
      and(op('>', c('o_cust', 'o'), int(3)), op('>', c('l_qty', 'l'), int(1))),
    );
    expect(shape(runRules(stacked, defaultRules))).toBe(
      // The anti join stays above: the join with filtered orders narrows lineitem.
      'join[anti](join[inner](alias(join[semi](scan(orders filters=1), alias(scan(late)))), alias(scan(lineitem filters=1))), alias(scan(late)))',
    );
  });
});
