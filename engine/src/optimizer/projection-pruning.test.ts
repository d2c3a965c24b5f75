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
  it('leaves the root schema untouched', () => {
    expect(projectionPruning.apply(wide)).toBe(wide);
  });
});
