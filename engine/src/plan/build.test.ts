import { describe, expect, it } from 'vitest';
import { aggregatePlan, aliasPlan, joinPlan, projectPlan, unionPlan } from './build.js';
import type { Expr, LogicalPlan } from './types.js';

const c = (name: string, qualifier?: string): Expr => (qualifier ? { kind: 'column', name, qualifier } : { kind: 'column', name });
const values = (...columns: [string, string][]): LogicalPlan => ({
  op: 'values', arrowIpcBase64: '', rowCount: 0, schema: { fields: columns.map(([name, type]) => ({ name, type, nullable: true })) },
});

describe('analyzed plan constructors', () => {
  const t = values(['id', 'BIGINT'], ['name', 'VARCHAR']);

  it('names computed columns and keeps plain ones', () => {
    const plan = projectPlan(t, [c('id'), { kind: 'call', fn: '+', args: [c('id'), { kind: 'literal', value: 1, type: 'INTEGER' }] }]);
    expect(plan.schema.fields.map((f) => [f.name, f.type])).toEqual([['id', 'BIGINT'], ['id + 1', 'BIGINT']]);
  });

  it('resolves qualified and dotted names after an alias, case-insensitively', () => {
    const aliased = aliasPlan(t, 'x');
    expect(projectPlan(aliased, [c('NAME', 'x'), c('x.id')]).schema.fields.map((f) => f.name)).toEqual(['name', 'id']);
    expect(() => projectPlan(aliased, [c('id', 'y')])).toThrow("column 'y.id' not found; available: id, name");
  });

  it('reports ambiguous names with their qualified candidates', () => {
    const join = joinPlan(aliasPlan(t, 'a'), aliasPlan(t, 'b'), 'inner', { kind: 'call', fn: '=', args: [c('id', 'a'), c('id', 'b')] });
    expect(() => projectPlan(join, [c('id')])).toThrow(/column 'id' is ambiguous: it could be a\.id, b\.id/);
    expect(projectPlan(join, [c('id', 'b')]).schema.fields[0]!.qualifier).toBe('b');
  });

  it('makes outer join sides nullable and semi joins keep the left schema', () => {
    const u = values(['id', 'BIGINT']);
    const on: Expr = { kind: 'call', fn: '=', args: [c('id', 'a'), c('id', 'b')] };
    const notNull = aliasPlan({ ...u, schema: { fields: [{ name: 'id', type: 'BIGINT', nullable: false }] } }, 'b');
    expect(joinPlan(aliasPlan(t, 'a'), notNull, 'left', on).schema.fields[2]!.nullable).toBe(true);
    expect(joinPlan(aliasPlan(t, 'a'), notNull, 'semi', on).schema.fields.map((f) => f.name)).toEqual(['id', 'name']);
    expect(() => joinPlan(t, u, 'inner')).toThrow(/an inner join needs a condition/);
  });

  it('checks aggregations: grouped columns only, aggregate output types', () => {
    const sum: Expr = { kind: 'agg', fn: 'sum', args: [c('id')], distinct: false };
    expect(aggregatePlan(t, [c('name')], [sum]).schema.fields.map((f) => [f.name, f.type])).toEqual([['name', 'VARCHAR'], ['sum(id)', 'HUGEINT']]);
    expect(() => aggregatePlan(t, [], [c('name'), sum])).toThrow(/column 'name' must be in groupBy\(\)/);
  });

  it('unions by position with widened types, or by name', () => {
    const ints = values(['n', 'INTEGER'], ['s', 'VARCHAR']);
    const doubles = values(['x', 'DOUBLE'], ['s', 'VARCHAR']);
    expect(unionPlan([ints, doubles], { all: true, byName: false }).schema.fields.map((f) => [f.name, f.type])).toEqual([['n', 'DOUBLE'], ['s', 'VARCHAR']]);
    expect(() => unionPlan([ints, values(['n', 'DATE'], ['s', 'VARCHAR'])], { all: true, byName: false })).toThrow(/union column 'n' has types INTEGER, DATE/);
    const swapped = values(['s', 'VARCHAR'], ['n', 'INTEGER']);
    const byName = unionPlan([ints, swapped], { all: true, byName: true });
    expect(byName.op === 'union' && byName.inputs[1]!.op).toBe('project');
  });
});
