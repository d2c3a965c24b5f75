import { describe, expect, it } from 'vitest';
import { c, int, op, scanOf, str } from '../optimizer/fixtures.test-util.js';
import { predicateSelectivity, selectivity } from './selectivity.js';
import type { Expr, LogicalPlan } from './types.js';

const list = (...values: string[]): Expr => ({ kind: 'call', fn: 'in', args: [c('code'), ...values.map(str)] });
const filtered = (...filters: Expr[]): LogicalPlan => ({ ...(scanOf('t', ['a:INTEGER', 'code:VARCHAR']) as Extract<LogicalPlan, { op: 'scan' }>), filters });

describe('selectivity guesses', () => {
  it('multiplies conjuncts: two equalities keep 1/100, a range 1/3, a two-sided range 1/9', () => {
    expect(selectivity(filtered(op('=', c('a'), int(1)), op('=', c('code'), str('x'))))).toBeCloseTo(0.01);
    expect(predicateSelectivity(op('>', c('a'), int(1)))).toBeCloseTo(1 / 3);
    expect(predicateSelectivity(op('and', op('>=', c('a'), int(1)), op('<', c('a'), int(9))))).toBeCloseTo(1 / 9);
  });
  it('counts IN lists by length, tells a LIKE prefix from a contains, and inverts NOT', () => {
    expect(predicateSelectivity(list('13', '31', '23', '29', '30', '18', '17'))).toBeCloseTo(0.7);
    expect(predicateSelectivity(op('like', c('code'), str('forest%')))).toBeCloseTo(0.1);
    expect(predicateSelectivity(op('like', c('code'), str('%BRASS')))).toBeCloseTo(0.5);
    expect(predicateSelectivity(op('not', op('=', c('a'), int(1))))).toBeCloseTo(0.9);
    expect(predicateSelectivity(op('or', op('=', c('a'), int(1)), op('=', c('a'), int(2))))).toBeCloseTo(0.19);
  });
  it('narrows keys through inner and semi joins by the other side\'s filters, not through outer ones', () => {
    const narrow = filtered(op('=', c('code'), str('x')));
    const whole = scanOf('u', ['k:INTEGER']);
    const join = (type: 'inner' | 'left' | 'semi'): LogicalPlan => ({ op: 'join', left: whole, right: narrow, type, condition: op('=', c('k'), c('a')), schema: whole.schema });
    expect(selectivity(join('inner'))).toBeCloseTo(0.1);
    expect(selectivity(join('semi'))).toBeCloseTo(0.1);
    expect(selectivity(join('left'))).toBe(1);
  });
  it('takes the share of nodes whose filters it cannot see from the caller', () => {
    const earlierStage = scanOf('s', ['a:INTEGER']);
    const plan: LogicalPlan = { op: 'filter', input: earlierStage, predicate: op('=', c('a'), int(1)), schema: earlierStage.schema };
    expect(selectivity(plan)).toBeCloseTo(0.1);
    expect(selectivity(plan, (node) => (node === earlierStage ? 0.05 : undefined))).toBeCloseTo(0.005);
  });
});
