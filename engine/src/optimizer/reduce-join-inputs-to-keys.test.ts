import { describe, expect, it } from 'vitest';
import { aggregatePlan, aliasPlan, joinPlan, projectPlan } from '../plan/build.js';
import { planChildren } from '../plan/expr-walk.js';
import { isReductionJoin } from '../plan/reduction-join.js';
import type { Expr, LogicalPlan } from '../plan/types.js';
import { and, c, op, scanOf, shape, str } from './fixtures.test-util.js';
import { optimize } from './index.js';
import { reduceJoinInputsToKeys } from './reduce-join-inputs-to-keys.js';

const brand23 = { ...(scanOf('part', ['p_key:INTEGER', 'p_brand:VARCHAR']) as Extract<LogicalPlan, { op: 'scan' }>), filters: [op('=', c('p_brand'), str('Brand#23'))] };
const parts = aliasPlan(brand23, 'p');
const allParts = aliasPlan(scanOf('part', ['p_key:INTEGER', 'p_brand:VARCHAR']), 'p');
const lines = aliasPlan(scanOf('lineitem', ['l_part:INTEGER', 'l_qty:INTEGER']), 'l');
const avgQty: Expr = { kind: 'alias', expr: { kind: 'agg', fn: 'avg', args: [c('l_qty', 'l')], distinct: false }, name: 'avg_qty' };
/** The correlated subquery of TPC-H Q17 as the SQL front end leaves it: grouped by the correlation key, renamed. */
const perPart = aliasPlan(projectPlan(aggregatePlan(lines, [c('l_part', 'l')], [avgQty]), [{ kind: 'alias', expr: c('l_part'), name: 'k' }, c('avg_qty')]), 'sq');
const outer = joinPlan(lines, parts, 'inner', op('=', c('l_part', 'l'), c('p_key', 'p')));

function reductionUnder(plan: LogicalPlan): Extract<LogicalPlan, { op: 'join' }> | undefined {
  if (isReductionJoin(plan)) return plan;
  for (const child of planChildren(plan)) {
    const found = reductionUnder(child);
    if (found) return found;
  }
  return undefined;
}

describe('reduce join inputs to keys', () => {
  it('gives the aggregation a semi join on the keys of the most restricted input that carries them, once', () => {
    const plan = joinPlan(outer, perPart, 'left', op('=', c('p_key', 'p'), c('k', 'sq')));
    const reduced = reduceJoinInputsToKeys.apply(plan);
    const semi = reductionUnder(reduced);
    expect(semi && shape(semi)).toBe('join[semi](alias(project(aggregate(alias(scan(lineitem))))), alias(project(scan(part filters=1))))');
    expect(reduceJoinInputsToKeys.apply(reduced)).toBe(reduced);
    // Optimized, the semi join sits right on the lineitem scan under the aggregation.
    const optimized = optimize(plan);
    expect(shape(reductionUnder(optimized)!)).toBe('join[semi](scan(lineitem), alias(project(scan(part filters=1))))');
    expect(reductionUnder(optimized)!.condition).toEqual(op('=', c('l_part'), c('__rk0', '__reduce')));
  });

  it('leaves the join alone when the other side is not restricted, or the condition is not on grouping keys', () => {
    const unrestricted = joinPlan(joinPlan(lines, allParts, 'inner', op('=', c('l_part', 'l'), c('p_key', 'p'))), perPart, 'left', op('=', c('p_key', 'p'), c('k', 'sq')));
    expect(reduceJoinInputsToKeys.apply(unrestricted)).toBe(unrestricted);
    // Seven of the ten brands is a filter too weak for the extra stage to pay.
    const sevenBrands: Expr = { kind: 'call', fn: 'in', args: [c('p_brand'), ...['1', '2', '3', '4', '5', '6', '7'].map(str)] };
    const weak = aliasPlan({ ...brand23, filters: [sevenBrands] }, 'p');
    const weaklyRestricted = joinPlan(weak, lines, 'semi', op('=', c('p_key', 'p'), c('l_part', 'l')));
    expect(reduceJoinInputsToKeys.apply(weaklyRestricted)).toBe(weaklyRestricted);
    const onAggregate = joinPlan(outer, perPart, 'left', and(op('=', c('l_qty', 'l'), c('avg_qty', 'sq'))));
    expect(reduceJoinInputsToKeys.apply(onAggregate)).toBe(onAggregate);
  });

  it('reduces the right side of a semi or anti join, whose rows every probing task builds a hash table of, but not a reduction itself', () => {
    const recentParts = joinPlan(parts, lines, 'semi', op('=', c('p_key', 'p'), c('l_part', 'l')));
    const reduced = reduceJoinInputsToKeys.apply(recentParts);
    expect(shape(reduced)).toBe('join[semi](alias(scan(part filters=1)), join[semi](alias(scan(lineitem)), alias(project(scan(part filters=1)))))');
    expect(reduceJoinInputsToKeys.apply(reduced)).toBe(reduced);
    const noLines = joinPlan(parts, lines, 'anti', op('=', c('p_key', 'p'), c('l_part', 'l')));
    expect(shape(reduceJoinInputsToKeys.apply(noLines))).toBe('join[anti](alias(scan(part filters=1)), join[semi](alias(scan(lineitem)), alias(project(scan(part filters=1)))))');
    // NOT IN's anti join also matches NULLs: no plain key equality, so nothing to reduce by.
    const notIn = joinPlan(parts, lines, 'anti', op('or', op('=', c('p_key', 'p'), c('l_part', 'l')), op('is null', c('l_part', 'l'))));
    expect(reduceJoinInputsToKeys.apply(notIn)).toBe(notIn);
  });

  it("restricts the other side of an inner join by the keys of a semi join on this side's key, whatever their guessed share", () => {
    // TPC-H Q18's shape: orders whose key is among a subquery's (an aggregation's) keys, joined to lineitem.
    const orders = aliasPlan(scanOf('orders', ['o_key:INTEGER', 'o_total:DOUBLE']), 'o');
    const bigOrders = aliasPlan(projectPlan(aggregatePlan(lines, [c('l_part', 'l')], [avgQty]), [{ kind: 'alias', expr: c('l_part'), name: 'k' }]), 'sq');
    const chosen = joinPlan(orders, bigOrders, 'semi', op('=', c('o_key', 'o'), c('k', 'sq')));
    const plan = joinPlan(chosen, lines, 'inner', op('=', c('o_key', 'o'), c('l_part', 'l')));
    const reduced = reduceJoinInputsToKeys.apply(plan) as Extract<LogicalPlan, { op: 'join' }>;
    expect(shape(reduced.right)).toBe('join[semi](alias(scan(lineitem)), alias(alias(project(aggregate(alias(scan(lineitem)))))))');
    const reduction = reduced.right as Extract<LogicalPlan, { op: 'join' }>;
    // The very relation the semi join reads, so both read one stage.
    expect(reduction.right.op === 'alias' && reduction.right.input).toBe(bigOrders);
    expect(reduction.condition).toEqual(op('=', c('l_part', 'l'), c('k', '__reduce')));
    expect(reduceJoinInputsToKeys.apply(reduced)).toBe(reduced);
    // Without the semi join (a plain inner join to an unfiltered side) there is nothing to carry over.
    const unrestricted = joinPlan(orders, lines, 'inner', op('=', c('o_key', 'o'), c('l_part', 'l')));
    expect(reduceJoinInputsToKeys.apply(unrestricted)).toBe(unrestricted);
  });

  it('takes keys from a filtered input of their own, not from a join that narrows them further but is a stage to compute', () => {
    // TPC-H Q2's shape: parts of one brand joined to their suppliers of one region; the subquery groups by part.
    const europe = aliasPlan({ ...(scanOf('region', ['r_key:INTEGER', 'r_name:VARCHAR']) as Extract<LogicalPlan, { op: 'scan' }>), filters: [op('=', c('r_name'), str('EUROPE'))] }, 'r');
    const partSuppliers = aliasPlan(scanOf('partsupp', ['ps_part:INTEGER', 'ps_region:INTEGER']), 'ps');
    const outerSide = joinPlan(joinPlan(parts, partSuppliers, 'inner', op('=', c('p_key', 'p'), c('ps_part', 'ps'))), europe, 'inner', op('=', c('ps_region', 'ps'), c('r_key', 'r')));
    const plan = joinPlan(outerSide, perPart, 'left', op('=', c('p_key', 'p'), c('k', 'sq')));
    const semi = reductionUnder(reduceJoinInputsToKeys.apply(plan));
    expect(semi && shape(semi.right)).toBe('alias(project(scan(part filters=1)))');
  });
});
