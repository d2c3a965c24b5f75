/**
 * The 22 TPC-H queries, through the SQL frontend and the optimizer, planned over tables of three
 * Parquet files each and run stage by stage (reference runner): same rows as the single-query
 * rendering, once with small tables broadcast and once with every join shuffled.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB } from '../io/duckdb.js';
import { optimize } from '../optimizer/index.js';
import { quoteIdent, quoteString, renderPlan } from '../plan/render.js';
import type { LogicalPlan } from '../plan/types.js';
import { sqlToPlan, type SqlContext } from '../sql/index.js';
import { TINY_TPCH, TINY_TPCH_TABLES } from '../sql/test-support/tiny-tpch.js';
import { TPCH_QUERIES } from '../sql/test-support/tpch-queries.js';
import { plannerContext } from './context.js';
import { explainPhysical, planPhysical } from './planner.js';
import { runPhysical, type Row } from './reference-runner.test-util.js';

const FILES_PER_TABLE = 3;
let dir: string;
let db: { instance: DuckDBInstance; connection: DuckDBConnection };
let ctx: SqlContext;
let runs = 0;

/** Rows as sorted text; floating results to 10 digits since distributed sums add in another order. */
function canonical(rows: Row[]): string[] {
  const cell = (v: unknown) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+\.\d+$/.test(v) ? Number(v) : undefined;
    return n !== undefined && !Number.isInteger(n) ? n.toPrecision(10) : JSON.stringify(v);
  };
  return rows.map((r) => Object.values(r).map(cell).join(' | ')).sort();
}

async function rows(sql: string): Promise<Row[]> {
  return (await db.connection.runAndReadAll(sql)).getRowObjectsJson() as Row[];
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quire-tpch-physical-'));
  db = await openDuckDB({ scratchDir: join(dir, 'scratch'), threads: 1 });
  const plans = new Map<string, LogicalPlan>();
  for (const table of TINY_TPCH_TABLES) {
    const build = quoteIdent(`${table}__build`);
    await db.connection.run(`CREATE TEMP TABLE ${build} AS SELECT *, row_number() OVER () AS __row FROM (${TINY_TPCH[table]!})`);
    // Later tables are built from earlier ones (lineitem from orders).
    await db.connection.run(`CREATE TEMP VIEW ${quoteIdent(table)} AS SELECT * EXCLUDE (__row) FROM ${build}`);
    const files = [];
    for (let k = 0; k < FILES_PER_TABLE; k++) {
      const path = join(dir, `${table}-${k}.parquet`);
      await db.connection.run(`COPY (SELECT * EXCLUDE (__row) FROM ${build} WHERE __row % ${FILES_PER_TABLE} = ${k}) TO ${quoteString(path)} (FORMAT parquet)`);
      files.push({ path, size: statSync(path).size, partitionValues: {} });
    }
    const described = await db.connection.runAndReadAll(`DESCRIBE SELECT * EXCLUDE (__row) FROM ${build}`);
    const fields = described.getRowObjects().map((r) => ({ name: String(r.column_name), type: String(r.column_type), nullable: true }));
    plans.set(table, { op: 'scan', source: { format: 'parquet', paths: files.map((f) => f.path), files, partitionColumns: [] }, schema: { fields }, filters: [] });
  }
  ctx = { connection: db.connection, resolveTable: (name) => plans.get(name), tableNames: () => [...plans.keys()] };
}, 120_000);

afterAll(() => {
  db?.connection.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('TPC-H stage by stage', () => {
  for (const [name, query] of Object.entries(TPCH_QUERIES)) {
    it(`${name}: broadcast and shuffled plans give the single-query rows`, async () => {
      // Every TPC-H query must optimize: an optimizer error fails the test rather than hiding it.
      const plan: LogicalPlan = optimize(await sqlToPlan(query, ctx));
      const expected = canonical(await rows(renderPlan(plan)));
      expect(expected.length).toBeGreaterThan(0);
      for (const broadcastThresholdBytes of [10 * 1024 * 1024, 0]) {
        const physical = await planPhysical(plan, plannerContext({ workers: 2, shufflePartitions: 3, broadcastThresholdBytes }));
        expect(physical.stages.length).toBeGreaterThan(1);
        if (process.env.DEBUG_PLAN === name) console.log(explainPhysical(physical, { sql: true }));
        const actual = canonical(await runPhysical(db.connection, physical, join(dir, `run-${runs++}`)));
        expect(actual).toEqual(expected);
      }
    });
  }
});
