import { describe, expect, it } from 'vitest';
import { c, int, op, scanOf, str } from '../optimizer/fixtures.test-util.js';
import type { LogicalPlan } from '../plan/types.js';
import { estimatePlanBytes } from './estimate.js';

const MB = 1_000_000;
const table = (filters = [] as ReturnType<typeof op>[]): LogicalPlan => ({ ...(scanOf('t', ['a:INTEGER', 'b:VARCHAR']) as Extract<LogicalPlan, { op: 'scan' }>), filters });
const known = () => 10 * MB;

describe('size estimates', () => {
  it('count a filter by the share of rows it is guessed to keep, an equality a tenth', () => {
    expect(estimatePlanBytes(table(), known)).toBe(10 * MB);
    expect(estimatePlanBytes(table([op('>', c('a'), int(3))]), known)).toBe(Math.ceil((10 * MB) / 3));
    expect(estimatePlanBytes({ op: 'filter', input: table(), predicate: op('=', c('b'), str('x')), schema: table().schema }, known)).toBe(MB);
  });
  it('never guess below a tenth, and give the upper bound when filters are ignored', () => {
    const narrow = table([op('=', c('a'), int(1)), op('=', c('b'), str('x'))]);
    expect(estimatePlanBytes(narrow, known)).toBe(MB);
    expect(estimatePlanBytes(narrow, known, 'ignored')).toBe(10 * MB);
  });
});
