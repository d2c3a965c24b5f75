/**
 * All 22 TPC-H queries through `spark.sql` on real clusters of two and of three workers answer what
 * single-process DuckDB answers over the same generated files: rows as multisets (floats to 1e-9
 * relative), and in the same order where the query's ORDER BY fixes it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TPCH_QUERY_NUMBERS, tpchQuery } from '../../../bench/tpch/queries.js';
import { compareResults, type ResultRow } from '../../../bench/tpch/reference.js';
import type { Session } from '../../src/api/session.js';
import type { JobProgress } from '../../src/cluster/types.js';
import { compareInOrder, generatedTpch, TPCH_CLUSTERS, tpchSession, type TpchData } from './tpch-support.js';

const SF = 0.01;
/**
 * Queries whose ORDER BY determines every row's position: the sort keys include a key of the
 * result's rows (or sums that do not tie in this data). Q6, Q14, Q17 and Q19 return one row.
 */
const ORDER_DETERMINED = new Set([1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 15, 16, 18, 20, 21, 22]);

let data: TpchData;
const expected = new Map<number, ResultRow[]>();

beforeAll(async () => {
  data = await generatedTpch(SF, 'quire-tpch-sql-');
  for (const q of TPCH_QUERY_NUMBERS) expected.set(q, await data.reference.query(tpchQuery(q)));
});
afterAll(() => data?.remove());

describe.each(TPCH_CLUSTERS)('TPC-H SF 0.01 through spark.sql on $workers workers, $joins', ({ workers, options }) => {
  let spark: Session;
  beforeAll(async () => {
    spark = await tpchSession(data.dir, workers, options);
  });
  afterAll(async () => {
    await spark?.stop();
  });

  it.each(TPCH_QUERY_NUMBERS)('Q%i matches DuckDB', async (q) => {
    let last: JobProgress | undefined;
    const rows = await (await spark.sql(tpchQuery(q))).collect({ onProgress: (p) => (last = p) });
    // It ran on the cluster as a job of several stages, not in the driver.
    expect(last!.stages.length).toBeGreaterThan(1);
    expect(last!.tasks.total).toBeGreaterThanOrEqual(workers);
    const reference = expected.get(q)!;
    expect(reference.length, 'the reference answer has rows').toBeGreaterThan(0);
    const comparison = ORDER_DETERMINED.has(q) ? compareInOrder(rows, reference) : compareResults(rows, reference);
    expect(comparison.difference ?? 'same rows').toBe('same rows');
  });
});
