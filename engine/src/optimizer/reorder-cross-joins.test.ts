import { describe, expect, it } from 'vitest';
import { filterPlan, joinPlan } from '../plan/build.js';
import { and, c, op, scanOf, shape } from './fixtures.test-util.js';
import { optimize } from './index.js';
import { reorderCrossJoins } from './reorder-cross-joins.js';

// TPC-H Q9's FROM order: part and supplier are only connected through lineitem.
const part = scanOf('part', ['p_partkey:INTEGER']);
const supplier = scanOf('supplier', ['s_suppkey:INTEGER']);
const lineitem = scanOf('lineitem', ['l_partkey:INTEGER', 'l_suppkey:INTEGER']);
const where = and(op('=', c('p_partkey'), c('l_partkey')), op('=', c('s_suppkey'), c('l_suppkey')));

describe('reorder cross joins', () => {
  it('joins each relation to one a condition connects it to, keeping the column order', () => {
    const plan = optimize(filterPlan(joinPlan(joinPlan(part, supplier, 'cross'), lineitem, 'cross'), where));
    expect(shape(plan)).toBe('project(join[inner](join[inner](scan(part), scan(lineitem)), scan(supplier)))');
    expect(plan.schema.fields.map((f) => f.name)).toEqual(['p_partkey', 's_suppkey', 'l_partkey', 'l_suppkey']);
  });
  it('does nothing when the written order has no avoidable cross join', () => {
    const plan = joinPlan(joinPlan(part, lineitem, 'inner', op('=', c('p_partkey'), c('l_partkey'))), supplier, 'inner', op('=', c('s_suppkey'), c('l_suppkey')));
    expect(reorderCrossJoins.apply(plan)).toBe(plan);
  });
});
