import { describe, expect, it } from 'vitest';
import { projectPlan } from '../plan/build.js';
import { c, scanOf } from './fixtures.test-util.js';
import { removeNoopProject } from './remove-noop-project.js';

describe('remove no-op projection', () => {
  const scan = scanOf('t', ['a:INTEGER', 'b:VARCHAR']);
  it('drops a projection selecting every input column in order', () => {
    expect(removeNoopProject.apply(projectPlan(scan, [c('a'), c('b')]))).toBe(scan);
  });
  it('keeps projections that reorder, rename or drop columns', () => {
    for (const exprs of [[c('b'), c('a')], [c('a')], [c('a'), { kind: 'alias' as const, expr: c('b'), name: 'x' }]]) {
      const plan = projectPlan(scan, exprs);
      expect(removeNoopProject.apply(plan)).toBe(plan);
    }
  });
});
