import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB } from '../io/duckdb.js';
import { withRelations } from './input-views.js';

let dir: string;
let db: { instance: DuckDBInstance; connection: DuckDBConnection };
const rows = async (sql: string) => (await db.connection.runAndReadAll(sql)).getRowsJS();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quire-input-views-'));
  db = await openDuckDB({ scratchDir: dir, threads: 1 });
});
afterAll(() => {
  db.connection.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('withRelations', () => {
  const inputs = [
    { name: 'in0', sql: 'SELECT range AS k FROM range(5)' },
    // A fused upstream stage reads an input defined before it.
    { name: 's1', sql: 'SELECT k, k * 10 AS v FROM "in0" WHERE k >= 2' },
  ];

  it('lets the query read every input and view by name, one reading another, any number of times', async () => {
    const sql = withRelations('SELECT a.k, b.v FROM "in0" AS a JOIN "s1" AS b ON a.k = b.k ORDER BY a.k', inputs);
    expect(sql).toMatch(/^WITH "in0" AS NOT MATERIALIZED \(.*\), "s1" AS NOT MATERIALIZED/);
    expect(await rows(sql)).toEqual([[2n, 20n], [3n, 30n], [4n, 40n]]);
  });

  it("joins the query's own common table expressions, recursive ones too", async () => {
    const own = withRelations('WITH top AS (SELECT max(v) AS m FROM "s1") SELECT m FROM top', inputs);
    expect(await rows(own)).toEqual([[40n]]);
    const recursive = withRelations(
      'WITH RECURSIVE up(n) AS (SELECT min(k) FROM "s1" UNION ALL SELECT n + 1 FROM up WHERE n < 4) SELECT count(*) FROM up',
      inputs,
    );
    expect(recursive).toMatch(/^WITH RECURSIVE "in0"/);
    expect(await rows(recursive)).toEqual([[3n]]);
  });

  it('leaves a query without inputs as it is', () => {
    expect(withRelations('SELECT 1', [])).toBe('SELECT 1');
  });
});
