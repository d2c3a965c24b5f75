import { describe, expect, it } from 'vitest';
import { aggregatePlan, aliasPlan, filterPlan, projectPlan, sortPlan } from '../plan/build.js';
import type { Expr } from '../plan/types.js';
import { and, c, int, op, scanOf, shape } from './fixtures.test-util.js';
import { pushFilterIntoScan } from './push-filter-into-scan.js';
import { pushFilterThroughAggregate } from './push-filter-through-aggregate.js';
import { pushFilterThroughPassthrough } from './push-filter-through-passthrough.js';
import { pushFilterThroughProject } from './push-filter-through-project.js';

const scan = scanOf('t', ['a:INTEGER', 'b:INTEGER', 'g:VARCHAR']);
const total: Expr = { kind: 'alias', expr: op('+', c('a'), c('b')), name: 'total' };

describe('push filter through project', () => {
  it('rewrites computed columns into their expressions below the projection', () => {
    const pushed = pushFilterThroughProject.apply(filterPlan(projectPlan(scan, [total]), op('>', c('total'), int(5))));
    expect(shape(pushed)).toBe('project(filter(scan(t)))');
    const filter = pushed.op === 'project' ? pushed.input : pushed;
    expect(filter.op === 'filter' && filter.predicate).toEqual(op('>', op('+', c('a'), c('b')), int(5)));
  });
});

describe('push filter through aggregate', () => {
  const agg = aggregatePlan(scan, [c('g')], [{ kind: 'alias', expr: { kind: 'agg', fn: 'sum', args: [c('a')], distinct: false }, name: 's' }]);
  it('moves conjuncts on grouping keys below, keeps conjuncts on aggregates above', () => {
    const plan = filterPlan(agg, and(op('=', c('g'), { kind: 'literal', value: 'x', type: 'VARCHAR' }), op('>', c('s'), int(3))));
    expect(shape(pushFilterThroughAggregate.apply(plan))).toBe('filter(aggregate(filter(scan(t))))');
  });
  it('keeps filters over a global aggregate, which yields a row even for empty input', () => {
    const global = aggregatePlan(scan, [], [{ kind: 'agg', fn: 'count', args: [], distinct: false }]);
    const plan = filterPlan(global, op('>', c('count(*)'), int(0)));
    expect(pushFilterThroughAggregate.apply(plan)).toBe(plan);
  });
});

describe('push filter through sort and alias, into the scan', () => {
  it('swaps with sort and strips the alias qualifier on the way to the scan', () => {
    const aliased = aliasPlan(scan, 'x');
    const plan = filterPlan(sortPlan(aliased, [{ expr: c('a'), ascending: true, nullsFirst: false }]), op('>', c('a', 'x'), int(1)));
    const swapped = pushFilterThroughPassthrough.apply(pushFilterThroughPassthrough.apply(plan));
    expect(shape(swapped)).toBe('sort(alias(filter(scan(t))))');
    const intoScan = pushFilterIntoScan.apply(swapped);
    expect(shape(intoScan)).toBe('sort(alias(scan(t filters=1)))');
  });
});
