import { describe, expect, it } from 'vitest';
import { aggregatePlan, filterPlan, joinPlan, projectPlan } from '../plan/build.js';
import { c, int, op, scanOf, shape } from './fixtures.test-util.js';
import { projectionPruning } from './projection-pruning.js';

describe('projection pruning', () => {
  const wide = scanOf('t', ['a:INTEGER', 'b:INTEGER', 'c:VARCHAR', 'd:DOUBLE']);
  it('narrows the scan to the columns the query reads, including filter columns', () => {
    const plan = projectPlan(filterPlan(wide, op('>', c('d'), int(0))), [c('a')]);
    const pruned = projectionPruning.apply(plan);
    expect(shape(pruned)).toBe('project(filter(scan(t cols=a,d)))');
    expect(pruned.schema).toEqual(plan.schema);
    expect(projectionPruning.apply(pruned)).toBe(pruned);
  });
  it('keeps the columns the scan\'s own filters read', () => {
    const filtered = { ...wide, filters: [op('=', c('c'), { kind: 'literal' as const, value: 'x', type: 'VARCHAR' })] };
    expect(shape(projectionPruning.apply(projectPlan(filtered, [c('a')])))).toBe('project(scan(t filters=1 cols=a,c))');
  });
  it('does not carry on a column only the scan\'s own filters read', () => {
    const filtered = { ...wide, filters: [op('=', c('c'), { kind: 'literal' as const, value: 'x', type: 'VARCHAR' })] };
    const plan = aggregatePlan(filtered, [c('a')], [{ kind: 'alias', expr: { kind: 'agg', fn: 'sum', args: [c('b')], distinct: false }, name: 's' }]);
    const pruned = projectionPruning.apply(plan);
    expect(shape(pruned)).toBe('aggregate(project(scan(t filters=1 cols=a,b,c)))');
    expect(pruned.op === 'aggregate' && pruned.input.schema.fields.map((f) => f.name)).toEqual(['a', 'b']);
    expect(projectionPruning.apply(pruned)).toBe(pruned);
  });
  it('keeps one column for count(*)', () => {
    const plan = aggregatePlan(wide, [], [{ kind: 'agg', fn: 'count', args: [], distinct: false }]);
    const pruned = projectionPruning.apply(plan);
    expect(shape(pruned)).toBe('aggregate(scan(t cols=a))');
    expect(projectionPruning.apply(pruned)).toBe(pruned);
  });
  it('prunes each side of a join to its output and condition columns', () => {
    const other = scanOf('u', ['k:INTEGER', 'x:VARCHAR', 'y:VARCHAR']);
    const plan = projectPlan(joinPlan(wide, other, 'inner', op('=', c('a'), c('k'))), [c('x')]);
    expect(shape(projectionPruning.apply(plan))).toBe('project(join[inner](scan(t cols=a), scan(u cols=k,x)))');
  });
  it('drops aggregates nobody reads, keeping the grouping keys', () => {
    const sumB = { kind: 'alias' as const, expr: { kind: 'agg' as const, fn: 'sum', args: [c('b')], distinct: false }, name: 'sb' };
    const maxD = { kind: 'alias' as const, expr: { kind: 'agg' as const, fn: 'max', args: [c('d')], distinct: false }, name: 'md' };
    const plan = projectPlan(aggregatePlan(wide, [c('c')], [sumB, maxD]), [c('md')]);
    const pruned = projectionPruning.apply(plan);
    expect(shape(pruned)).toBe('project(aggregate(scan(t cols=c,d)))');
    const agg = pruned.op === 'project' ? pruned.input : pruned;
    expect(agg.schema.fields.map((f) => f.name)).toEqual(['c', 'md']);
    expect(projectionPruning.apply(pruned)).toBe(pruned);
  });
  it('keeps one aggregate of a global aggregation nobody reads', () => {
    const count = { kind: 'alias' as const, expr: { kind: 'agg' as const, fn: 'count', args: [], distinct: false }, name: 'n' };
    const plan = projectPlan(aggregatePlan(wide, [], [count]), [{ kind: 'alias', expr: int(1), name: 'one' }]);
    const pruned = projectionPruning.apply(plan);
    expect(shape(pruned)).toBe('project(aggregate(scan(t cols=a)))');
    const agg = pruned.op === 'project' ? pruned.input : pruned;
    expect(agg.op === 'aggregate' && agg.aggs).toEqual([count]);
  });
  it('leaves the root schema untouched', () => {
    expect(projectionPruning.apply(wide)).toBe(wide);
  });
});
