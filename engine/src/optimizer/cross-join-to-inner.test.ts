import { describe, expect, it } from 'vitest';
import { filterPlan, joinPlan } from '../plan/build.js';
import { optimize } from './index.js';
import { crossJoinToInner } from './cross-join-to-inner.js';
import { and, c, int, op, scanOf, shape } from './fixtures.test-util.js';

const a = scanOf('a', ['a_key:INTEGER', 'a_val:INTEGER']);
const b = scanOf('b', ['b_key:INTEGER', 'b_val:INTEGER']);

describe('cross join to inner join', () => {
  it('makes conjuncts reading both inputs the join condition', () => {
    const plan = filterPlan(joinPlan(a, b, 'cross'), and(op('=', c('a_key'), c('b_key')), op('>', c('a_val'), int(3))));
    const rewritten = crossJoinToInner.apply(plan);
    expect(shape(rewritten)).toBe('filter(join[inner](scan(a), scan(b)))');
    const join = rewritten.op === 'filter' ? rewritten.input : rewritten;
    expect(join.op === 'join' && join.condition).toEqual(op('=', c('a_key'), c('b_key')));
  });
  it('leaves a cross join with no connecting conjunct alone', () => {
    const plan = filterPlan(joinPlan(a, b, 'cross'), op('>', c('a_val'), int(3)));
    expect(crossJoinToInner.apply(plan)).toBe(plan);
  });
  it('with the other rules, plans FROM a, b WHERE a.k = b.k AND a.v > 3 as a filtered equi-join', () => {
    const plan = filterPlan(joinPlan(a, b, 'cross'), and(op('=', c('a_key'), c('b_key')), op('>', c('a_val'), int(3))));
    expect(shape(optimize(plan))).toBe('join[inner](scan(a filters=1), scan(b))');
  });
});
