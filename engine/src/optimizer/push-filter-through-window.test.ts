import { describe, expect, it } from 'vitest';
import { filterPlan, unionPlan, windowPlan } from '../plan/build.js';
import type { Expr } from '../plan/types.js';
import { and, c, int, op, scanOf, shape, str } from './fixtures.test-util.js';
import { pushFilterThroughUnion } from './push-filter-through-union.js';
import { pushFilterThroughWindow } from './push-filter-through-window.js';

const scan = scanOf('t', ['g:VARCHAR', 'v:INTEGER']);
const rn: Expr = {
  kind: 'alias',
  expr: { kind: 'window', fn: 'row_number', args: [], spec: { partitionBy: [c('g')], orderBy: [{ expr: c('v'), ascending: true, nullsFirst: false }] } },
  name: 'rn',
};

describe('push filter through window', () => {
  it('moves conjuncts on the partition keys below, keeps the others above', () => {
    const plan = filterPlan(windowPlan(scan, [rn]), and(op('=', c('g'), str('a')), op('<=', c('rn'), int(1)), op('>', c('v'), int(0))));
    const pushed = pushFilterThroughWindow.apply(plan);
    expect(shape(pushed)).toBe('filter(window(filter(scan(t))))');
    const below = pushed.op === 'filter' && pushed.input.op === 'window' ? pushed.input.input : pushed;
    expect(below.op === 'filter' && below.predicate).toEqual(op('=', c('g'), str('a')));
  });
  it('leaves a window without partition keys alone', () => {
    const global: Expr = { ...rn, expr: { kind: 'window', fn: 'row_number', args: [], spec: { partitionBy: [], orderBy: [] } } } as Expr;
    const plan = filterPlan(windowPlan(scan, [global]), op('=', c('g'), str('a')));
    expect(pushFilterThroughWindow.apply(plan)).toBe(plan);
  });
});

describe('push filter through union', () => {
  it('filters every input, renaming columns by position', () => {
    const other = scanOf('u', ['h:VARCHAR', 'w:INTEGER']);
    const plan = filterPlan(unionPlan([scan, other], { all: true, byName: false }), op('>', c('v'), int(3)));
    const pushed = pushFilterThroughUnion.apply(plan);
    expect(shape(pushed)).toBe('union(filter(scan(t)), filter(scan(u)))');
    const second = pushed.op === 'union' ? pushed.inputs[1]! : pushed;
    expect(second.op === 'filter' && second.predicate).toEqual(op('>', c('w'), int(3)));
  });
});
