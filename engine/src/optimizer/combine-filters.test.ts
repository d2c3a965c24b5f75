import { describe, expect, it } from 'vitest';
import { filterPlan } from '../plan/build.js';
import { combineFilters } from './combine-filters.js';
import { and, c, int, op, scanOf, shape } from './fixtures.test-util.js';

describe('combine filters', () => {
  it('merges stacked filters into one conjunction, inner first', () => {
    const scan = scanOf('t', ['a:INTEGER', 'b:INTEGER']);
    const plan = filterPlan(filterPlan(scan, op('>', c('a'), int(1))), op('<', c('b'), int(5)));
    const combined = combineFilters.apply(plan);
    expect(shape(combined)).toBe('filter(scan(t))');
    expect(combined.op === 'filter' && combined.predicate).toEqual(and(op('>', c('a'), int(1)), op('<', c('b'), int(5))));
    expect(combineFilters.apply(combined)).toBe(combined);
  });
});
