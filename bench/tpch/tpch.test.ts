import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateTpch } from './generate.js';
import { TPCH_QUERY_NUMBERS, tpchQuery } from './queries.js';
import { compareResults, ReferenceDuckDB } from './reference.js';

let dir: string;
let data: string;
let db: ReferenceDuckDB;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quire-tpch-test-'));
  data = join(dir, 'sf0.01');
  await generateTpch({ sf: 0.01, outDir: data });
  db = await ReferenceDuckDB.open(data, { threads: 1 });
});

afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const scalar = async (sql: string): Promise<number> => Number(Object.values((await db.query(sql))[0])[0]);

describe('TPC-H generator at SF 0.01', () => {
  it('writes the spec cardinalities', async () => {
    const counts: Record<string, number> = {};
    for (const table of ['region', 'nation', 'supplier', 'part', 'partsupp', 'customer', 'orders', 'lineitem']) {
      counts[table] = await scalar(`SELECT count(*) FROM ${table}`);
    }
    expect(counts).toMatchObject({ region: 5, nation: 25, supplier: 100, part: 2000, partsupp: 8000, customer: 1500, orders: 15000 });
    // 1 to 7 lines per order: about 4 per order.
    expect(counts.lineitem).toBeGreaterThan(58_000);
    expect(counts.lineitem).toBeLessThan(62_000);
  });

  it('splits large tables into several files of several row groups', async () => {
    expect(readdirSync(join(data, 'lineitem')).sort()).toEqual(['part-0.parquet', 'part-1.parquet']);
    const groups = await scalar(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${join(data, 'lineitem', 'part-0.parquet')}')`);
    expect(groups).toBeGreaterThanOrEqual(4);
    // Written without a sort, files must still come out in key order (row-group statistics rely on it).
    for (const [table, key] of [['lineitem', 'l_orderkey * 8 + l_linenumber'], ['orders', 'o_orderkey'], ['partsupp', 'ps_partkey']]) {
      const file = join(data, table, 'part-1.parquet');
      const outOfOrder = await scalar(`SELECT count(*) FILTER (WHERE k < previous) FROM (SELECT ${key} AS k, lag(${key}) OVER () AS previous FROM read_parquet('${file}'))`);
      expect(outOfOrder, table).toBe(0);
    }
  });

  it('keeps keys consistent', async () => {
    expect(await scalar(`SELECT count(*) FROM lineitem WHERE l_orderkey NOT IN (SELECT o_orderkey FROM orders)`)).toBe(0);
    expect(await scalar(`SELECT count(*) FROM orders WHERE o_orderkey NOT IN (SELECT l_orderkey FROM lineitem)`)).toBe(0);
    expect(await scalar(`SELECT count(*) FROM lineitem l ANTI JOIN partsupp ON ps_partkey = l_partkey AND ps_suppkey = l_suppkey`)).toBe(0);
    expect(await scalar(`SELECT count(*) FROM partsupp WHERE ps_suppkey NOT IN (SELECT s_suppkey FROM supplier) OR ps_partkey NOT IN (SELECT p_partkey FROM part)`)).toBe(0);
    expect(await scalar(`SELECT count(*) FROM (SELECT count(DISTINCT ps_suppkey) AS n FROM partsupp GROUP BY ps_partkey) WHERE n <> 4`)).toBe(0);
    expect(await scalar(`SELECT count(*) FROM orders WHERE o_custkey % 3 = 0 OR o_custkey NOT IN (SELECT c_custkey FROM customer)`)).toBe(0);
    // Sparse order keys: the first 8 of every 32.
    expect(await scalar(`SELECT count(*) FROM orders WHERE (o_orderkey - 1) % 32 >= 8`)).toBe(0);
    expect(await scalar(`SELECT count(*) FROM (SELECT l_orderkey FROM lineitem GROUP BY 1 HAVING max(l_linenumber) <> count(*) OR count(*) > 7)`)).toBe(0);
    expect(await scalar(`SELECT count(*) FROM supplier s ANTI JOIN nation ON s_nationkey = n_nationkey`)).toBe(0);
  });

  it('derives values by the spec formulas', async () => {
    expect(await scalar(`SELECT count(*) FROM part WHERE p_retailprice <> (90000 + ((p_partkey // 10) % 20001) + 100 * (p_partkey % 1000)) / 100`)).toBe(0);
    expect(await scalar(`SELECT count(*) FROM lineitem JOIN part ON p_partkey = l_partkey WHERE l_extendedprice <> l_quantity * p_retailprice`)).toBe(0);
    expect(
      await scalar(`SELECT count(*) FROM orders JOIN (SELECT l_orderkey, sum(l_extendedprice * (1 + l_tax) * (1 - l_discount)) AS total,
                      bool_and(l_linestatus = 'F') AS all_f, bool_and(l_linestatus = 'O') AS all_o FROM lineitem GROUP BY 1) ON l_orderkey = o_orderkey
                    WHERE abs(o_totalprice - total) > 0.01 OR o_orderstatus <> CASE WHEN all_f THEN 'F' WHEN all_o THEN 'O' ELSE 'P' END`),
    ).toBe(0);
    expect(
      await scalar(`SELECT count(*) FROM lineitem JOIN orders ON o_orderkey = l_orderkey
                    WHERE l_shipdate NOT BETWEEN o_orderdate + 1 AND o_orderdate + 121
                       OR l_commitdate NOT BETWEEN o_orderdate + 30 AND o_orderdate + 90
                       OR l_receiptdate NOT BETWEEN l_shipdate + 1 AND l_shipdate + 30
                       OR (l_receiptdate <= DATE '1995-06-17') <> (l_returnflag IN ('R', 'A'))
                       OR (l_shipdate > DATE '1995-06-17') <> (l_linestatus = 'O')`),
    ).toBe(0);
    expect(await db.query(`SELECT min(o_orderdate)::VARCHAR AS lo, max(o_orderdate)::VARCHAR AS hi FROM orders`)).toEqual([
      { lo: expect.stringMatching(/^1992-01-0/), hi: expect.stringMatching(/^1998-0[78]-/) },
    ]);
    expect(await scalar(`SELECT count(DISTINCT p_type) FROM part`)).toBe(150);
    expect(await scalar(`SELECT count(DISTINCT p_brand) FROM part`)).toBe(25);
    expect(await scalar(`SELECT count(DISTINCT l_shipmode) FROM lineitem`)).toBe(7);
    expect(await scalar(`SELECT avg(l_discount) FROM lineitem`)).toBeCloseTo(0.05, 2);
  });

  it('refuses to overwrite an existing directory', async () => {
    await expect(generateTpch({ sf: 0.01, outDir: data })).rejects.toThrow('output directory already exists');
    await expect(generateTpch({ sf: 0, outDir: join(dir, 'x') })).rejects.toThrow('scale factor must be positive');
  });
});

describe('the 22 TPC-H queries on the reference', () => {
  it.each(TPCH_QUERY_NUMBERS)('Q%i returns rows with values', async (n) => {
    const rows = await db.query(tpchQuery(n));
    expect(rows.length).toBeGreaterThan(0);
    expect(Object.values(rows[0]).every((v) => v !== null)).toBe(true);
    expect(compareResults(rows, [...rows].reverse())).toEqual({ equal: true });
  });
});

describe('compareResults', () => {
  it('ignores row order and tolerates float rounding', () => {
    const a = [{ k: 'x', v: '10.50' }, { k: 'y', v: 1 / 3 }];
    const b = [[ 'y', 0.3333333333333333 + 1e-12 ], [ 'x', 10.5 ]];
    expect(compareResults(a, b)).toEqual({ equal: true });
  });

  it('reports differing values, rows and counts', () => {
    expect(compareResults([{ k: 'x', v: 1 }], [{ k: 'x', v: 1.001 }])).toMatchObject({ equal: false, difference: expect.stringContaining('1.001') });
    expect(compareResults([{ k: 'x', v: 1 }], [{ k: 'z', v: 1 }])).toMatchObject({ equal: false });
    expect(compareResults([{ k: 'x' }, { k: 'x' }], [{ k: 'x' }])).toEqual({ equal: false, difference: 'row counts differ: 2 vs 1' });
    expect(compareResults([{ k: 'x' }, { k: 'x' }], [{ k: 'x' }, { k: 'y' }])).toMatchObject({ equal: false });
  });
});
