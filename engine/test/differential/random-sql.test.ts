/**
 * Seeded random SQL over TPC-H SF 0.01 answers on a cluster what single-process DuckDB answers over
 * the same files, on two clusters: small tables broadcast, and every join shuffled. A failure names
 * the query; the same seed makes it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults, type ResultRow } from '../../../bench/tpch/reference.js';
import type { Session } from '../../src/api/session.js';
import { generatedTpch, TPCH_CLUSTERS, tpchSession, type TpchData } from '../tpch/tpch-support.js';
import { randomQueries } from './random-sql.js';

const SEED = 20261204;
const QUERIES = 120;
/** Joins along the many-to-many nation keys can make millions of rows; such queries are replaced by the next. */
const MAX_ROWS = 50_000;

let data: TpchData;
const cases: { sql: string; expected: ResultRow[] }[] = [];

beforeAll(async () => {
  data = await generatedTpch(0.01, 'quire-random-sql-');
  const next = randomQueries(SEED);
  while (cases.length < QUERIES) {
    const sql = next();
    const counted = await data.reference.query(`SELECT count(*) AS n FROM (${sql})`).catch(() => undefined);
    // DuckDB itself refuses a few generated queries (a type it cannot compare): they test nothing here.
    if (!counted || Number(counted[0]!.n) > MAX_ROWS) continue;
    cases.push({ sql, expected: await data.reference.query(sql) });
  }
}, 120_000);
afterAll(() => data?.remove());

describe.each(TPCH_CLUSTERS)('random SQL on $workers workers, $joins', ({ workers, options }) => {
  let spark: Session;
  beforeAll(async () => {
    spark = await tpchSession(data.dir, workers, options);
  });
  afterAll(async () => {
    await spark?.stop();
  });

  it(`answers ${QUERIES} seeded queries as DuckDB does`, async () => {
    const differences: string[] = [];
    for (const { sql, expected } of cases) {
      const rows = await (await spark.sql(sql)).collect().catch((error: Error) => error);
      if (rows instanceof Error) differences.push(`${sql}\n  failed: ${rows.message.split('\n')[0]}`);
      else {
        const comparison = compareResults(rows, expected);
        if (!comparison.equal) differences.push(`${sql}\n  ${comparison.difference}`);
      }
    }
    expect(differences).toEqual([]);
  }, 240_000);
});
