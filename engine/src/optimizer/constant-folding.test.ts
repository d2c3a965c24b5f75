import { describe, expect, it } from 'vitest';
import { filterPlan, projectPlan } from '../plan/build.js';
import { constantFolding, foldExpr } from './constant-folding.js';
import { and, c, int, op, scanOf, str } from './fixtures.test-util.js';
import { removeTrivialFilter } from './remove-trivial-filter.js';

describe('constant folding', () => {
  it('evaluates arithmetic and comparisons over literals', () => {
    expect(foldExpr(op('+', int(1), op('*', int(2), int(3))))).toEqual({ kind: 'literal', value: 7, type: 'INTEGER' });
    expect(foldExpr(op('<', int(1), int(2)))).toEqual({ kind: 'literal', value: true, type: 'BOOLEAN' });
    expect(foldExpr(op('=', str('a'), str('b')))).toEqual({ kind: 'literal', value: false, type: 'BOOLEAN' });
  });

  it('leaves integer overflow to DuckDB instead of folding it', () => {
    const big = op('*', int(2 ** 30), int(4));
    expect(foldExpr(big)).toEqual(big);
  });

  it('simplifies AND/OR with a literal side', () => {
    const x = op('>', c('a'), int(1));
    expect(foldExpr(and(x, op('=', int(1), int(1))))).toEqual(x);
    expect(foldExpr(and(x, op('=', int(1), int(2))))).toEqual({ kind: 'literal', value: false, type: 'BOOLEAN' });
    expect(foldExpr({ kind: 'call', fn: 'or', args: [x, { kind: 'literal', value: true, type: 'BOOLEAN' }] })).toEqual({ kind: 'literal', value: true, type: 'BOOLEAN' });
  });

  it('folds expressions inside plans and keeps unchanged plans identical', () => {
    const scan = scanOf('t', ['a:INTEGER']);
    const plan = filterPlan(scan, and(op('>', c('a'), op('+', int(1), int(1))), op('=', int(1), int(1))));
    const folded = constantFolding.apply(plan);
    expect(folded.op === 'filter' && folded.predicate).toEqual(op('>', c('a'), int(2)));
    expect(constantFolding.apply(folded)).toBe(folded);
    const untouched = projectPlan(scan, [c('a')]);
    expect(constantFolding.apply(untouched)).toBe(untouched);
  });

  it('removes a filter folded to TRUE', () => {
    const scan = scanOf('t', ['a:INTEGER']);
    const plan = constantFolding.apply(filterPlan(scan, op('<', int(1), int(2))));
    expect(removeTrivialFilter.apply(plan)).toBe(scan);
  });
});
