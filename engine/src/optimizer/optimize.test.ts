/** The whole rule set on plans from the SQL front end, whose expressions the analyzer may not type. */
import { describe, expect, it } from 'vitest';
import type { Expr, LogicalPlan } from '../plan/types.js';
import { c, int, op, scanOf, shape } from './fixtures.test-util.js';
import { optimize } from './index.js';

describe('optimize', () => {
  it('moves and narrows nodes without re-typing their expressions', () => {
    const scan = scanOf('lineitem', ['l_shipdate:DATE', 'l_price:DOUBLE', 'l_comment:VARCHAR']);
    // A function the analyzer has no rule for, typed by DuckDB when the SQL was translated.
    const truncated: Expr = { kind: 'alias', expr: { kind: 'call', fn: 'trunc', args: [c('l_price')] }, name: 'whole' };
    const project: LogicalPlan = {
      op: 'project', input: scan, exprs: [truncated, c('l_shipdate')],
      schema: { fields: [{ name: 'whole', type: 'DOUBLE', nullable: true }, { name: 'l_shipdate', type: 'DATE', nullable: true }] },
    };
    const filter: LogicalPlan = { op: 'filter', input: project, predicate: op('>', c('whole'), int(10)), schema: project.schema };
    const optimized = optimize(filter);
    expect(shape(optimized)).toBe('project(scan(lineitem filters=1 cols=l_shipdate,l_price))');
    expect(optimized.schema).toEqual(filter.schema);
  });
});
