import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planChildren } from '../plan/expr-walk.js';
import type { LogicalPlan } from '../plan/types.js';
import { compareWithDuckDB, opaqueReasons, openTestDb, type TestDb } from './test-support/harness.js';
import { TINY_TPCH, TINY_TPCH_TABLES } from './test-support/tiny-tpch.js';
import { TPCH_QUERIES } from './test-support/tpch-queries.js';

type JoinNode = Extract<LogicalPlan, { op: 'join' }>;

function someNode(plan: LogicalPlan, predicate: (p: LogicalPlan) => boolean): boolean {
  return predicate(plan) || planChildren(plan).some((c) => someNode(c, predicate));
}

function joinsOf(plan: LogicalPlan): JoinNode[] {
  const below = planChildren(plan).flatMap(joinsOf);
  return plan.op === 'join' ? [plan, ...below] : below;
}

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb(TINY_TPCH_TABLES.map((t) => [t, TINY_TPCH[t]!]));
}, 60_000);
afterAll(() => db?.close());

describe('TPC-H through sqlToPlan + renderPlan', () => {
  for (const [name, query] of Object.entries(TPCH_QUERIES)) {
    it(`${name} gives DuckDB's answer and has no opaque node`, async () => {
      const { plan, expected, actual } = await compareWithDuckDB(db, query);
      expect(expected.length).toBeGreaterThan(0);
      expect(actual).toEqual(expected);
      expect(opaqueReasons(plan)).toEqual([]);
    });
  }

  it('turns comma joins into cross joins under a filter (the optimizer makes them inner joins)', async () => {
    const { plan } = await compareWithDuckDB(db, TPCH_QUERIES.q03!);
    expect(joinsOf(plan).map((j) => j.type)).toEqual(['cross', 'cross']);
    expect(someNode(plan, (p) => p.op === 'filter' && p.input.op === 'join')).toBe(true);
  });

  it('decorrelates EXISTS/NOT EXISTS into semi/anti joins and correlated scalar subqueries into grouped left joins', async () => {
    const q21 = joinsOf((await compareWithDuckDB(db, TPCH_QUERIES.q21!)).plan);
    expect(q21.map((j) => j.type)).toEqual(expect.arrayContaining(['semi', 'anti']));
    const q17 = joinsOf((await compareWithDuckDB(db, TPCH_QUERIES.q17!)).plan);
    const grouped = q17.find((j) => j.type === 'left');
    expect(grouped && someNode(grouped.right, (p) => p.op === 'aggregate' && p.groupBy.length === 1)).toBe(true);
  });
});
