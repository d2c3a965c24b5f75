import { describe, expect, it } from 'vitest';
import { filterPlan, joinPlan } from '../plan/build.js';
import type { LogicalPlan } from '../plan/types.js';
import { and, c, int, op, scanOf, shape } from './fixtures.test-util.js';
import { pushFilterThroughJoin } from './push-filter-through-join.js';

const orders = scanOf('orders', ['o_id:INTEGER', 'o_cust:INTEGER'], 'o');
const customers = scanOf('customers', ['c_id:INTEGER', 'c_region:VARCHAR'], 'c');
const onKey = op('=', c('o_cust', 'o'), c('c_id', 'c'));
const leftOnly = op('>', c('o_id', 'o'), int(10));
const rightOnly = op('=', c('c_region'), { kind: 'literal', value: 'EU', type: 'VARCHAR' });

function whereOver(type: 'inner' | 'left' | 'right' | 'full'): LogicalPlan {
  return filterPlan(joinPlan(orders, customers, type, onKey), and(leftOnly, rightOnly));
}

describe('push filter through join', () => {
  it('moves single-side conjuncts of an inner join into both inputs', () => {
    expect(shape(pushFilterThroughJoin.apply(whereOver('inner')))).toBe('join[inner](filter(scan(orders)), filter(scan(customers)))');
  });
  it('never filters the side an outer join preserves', () => {
    expect(shape(pushFilterThroughJoin.apply(whereOver('left')))).toBe('filter(join[left](filter(scan(orders)), scan(customers)))');
    expect(shape(pushFilterThroughJoin.apply(whereOver('right')))).toBe('filter(join[right](scan(orders), filter(scan(customers))))');
    const full = whereOver('full');
    expect(pushFilterThroughJoin.apply(full)).toBe(full);
  });
  it('moves ON conjuncts of the null-supplying side of a left join, not of the preserved side', () => {
    const plan = joinPlan(orders, customers, 'left', and(onKey, rightOnly, leftOnly));
    const pushed = pushFilterThroughJoin.apply(plan);
    expect(shape(pushed)).toBe('join[left](scan(orders), filter(scan(customers)))');
    expect(pushed.op === 'join' && pushed.condition).toEqual(and(onKey, leftOnly));
  });
  it('turns an inner join whose whole condition moved into a cross join', () => {
    const plan = joinPlan(orders, customers, 'inner', rightOnly);
    expect(shape(pushFilterThroughJoin.apply(plan))).toBe('join[cross](scan(orders), filter(scan(customers)))');
  });
  it('keeps nondeterministic conjuncts in place', () => {
    const random = op('<', { kind: 'call', fn: 'random', args: [] }, { kind: 'literal', value: 0.5, type: 'DOUBLE' });
    const plan = filterPlan(joinPlan(orders, customers, 'inner', onKey), random);
    expect(pushFilterThroughJoin.apply(plan)).toBe(plan);
  });
});
