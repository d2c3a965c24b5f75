/** Multi-stage plans on a real two-worker cluster, checked against DuckDB run directly. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Table } from 'apache-arrow';
import { attachCluster, type JobProgress, type JobResult } from '../../src/cluster/index.js';
import type { PhysicalPlan } from '../../src/physical/types.js';
import { AIRPORTS_CSV, AIRPORTS_SCHEMA, airportsParquet, exchangeInput, filesInput, schemaOf, stage, valuesInput } from './plans.js';
import { clusterPerFile } from './fixture.js';

// Planned partitions exactly: these tests are about the exchanges themselves, not adaptive-partitions.test.ts.
const fixture = clusterPerFile('exchanges', { workers: 2, threadsPerWorker: 1, memoryPerWorker: '512MB', adaptivePartitionBytes: 0 });
let parquet: Awaited<ReturnType<typeof airportsParquet>>;
beforeAll(async () => {
  parquet = await airportsParquet(fixture.dir);
});

function rowsOf(result: JobResult): Record<string, unknown>[] {
  if (!('table' in result)) throw new Error('expected a result table');
  return (result.table as Table).toArray().map((row) => ({ ...row.toJSON() }));
}

/** Tasks over the airports: the first Parquet file, half the row groups of the second, the rest, and the CSV. */
function airportsScans(): ReturnType<typeof filesInput>[][] {
  expect(parquet.secondRowGroups).toBeGreaterThan(1);
  const groups = Array.from({ length: parquet.secondRowGroups }, (_, i) => i);
  const half = Math.ceil(groups.length / 2);
  return [
    [filesInput('airports', [{ path: parquet.first }])],
    [filesInput('airports', [{ path: parquet.second, rowGroups: groups.slice(0, half) }])],
    [filesInput('airports', [{ path: parquet.second, rowGroups: groups.slice(half) }])],
  ];
}

describe('exchanges', () => {
  test('a two-stage hash aggregate matches DuckDB, with progress reported per stage', async () => {
    const partial = schemaOf([['state', 'VARCHAR'], ['n', 'BIGINT'], ['lat', 'DOUBLE']]);
    const plan: PhysicalPlan = {
      stages: [
        stage(0, 'SELECT state, count(*) AS n, sum(latitude) AS lat FROM airports GROUP BY state', { kind: 'hash', keys: ['state'], partitions: 3 }, airportsScans(), [], partial),
        stage(1, 'SELECT state, sum(n)::BIGINT AS n, sum(lat) AS lat FROM partial GROUP BY state', { kind: 'result' },
          [0, 1, 2].map((p) => [exchangeInput('partial', 0, [p], partial)]), [0], partial),
      ],
      resultStageId: 1,
      schema: partial,
    };
    const progress: JobProgress[] = [];
    const result = await fixture.cluster.runJob(plan, { onProgress: (p) => progress.push(p), description: 'hash aggregate' });
    const expected = await fixture.reference.rows(`SELECT state, count(*)::BIGINT AS n, sum(latitude) AS lat FROM read_csv('${AIRPORTS_CSV}') GROUP BY state ORDER BY state`);
    const got = rowsOf(result).sort((a, b) => String(a.state).localeCompare(String(b.state)));
    expect(got.map((r) => [r.state, r.n, r.lat])).toEqual(expected.map(([s, n, l]) => [s, BigInt(n as number), expect.closeTo(l as number, 6)]));
    expect('rowCount' in result && result.rowCount).toBe(expected.length);
    const last = progress.at(-1)!;
    expect(last.stages.map((s) => [s.id, s.tasks.total, s.tasks.done])).toEqual([[0, 3, 3], [1, 3, 3]]);
    expect(progress.some((p) => p.tasks.running > 0)).toBe(true);
  });

  test('a broadcast join of user-given rows against a scan', async () => {
    const regions = valuesInput('regions', { state: ['CA', 'OR', 'WA', 'NY'], region: ['west', 'west', 'west', 'east'] }, schemaOf([['state', 'VARCHAR'], ['region', 'VARCHAR']]));
    const joined = schemaOf([['region', 'VARCHAR'], ['n', 'BIGINT']]);
    const plan: PhysicalPlan = {
      stages: [
        stage(0, 'SELECT * FROM regions', { kind: 'broadcast' }, [[regions]], [], regions.schema),
        stage(1, 'SELECT r.region, count(*) AS n FROM airports a JOIN regions r USING (state) GROUP BY r.region', { kind: 'gather' },
          airportsScans().map((inputs) => [...inputs, exchangeInput('regions', 0, 'all', regions.schema)]), [0], joined),
        stage(2, 'SELECT region, sum(n)::BIGINT AS n FROM joined GROUP BY region ORDER BY region', { kind: 'result' }, [[exchangeInput('joined', 1, 'all', joined)]], [1], joined),
      ],
      resultStageId: 2,
      schema: joined,
    };
    const expected = await fixture.reference.rows(
      `SELECT CASE WHEN state = 'NY' THEN 'east' ELSE 'west' END AS region, count(*)::BIGINT FROM read_csv('${AIRPORTS_CSV}') WHERE state IN ('CA','OR','WA','NY') GROUP BY 1 ORDER BY 1`,
    );
    expect(rowsOf(await fixture.cluster.runJob(plan)).map((r) => [r.region, r.n])).toEqual(expected.map(([r, n]) => [r, BigInt(n as number)]));
  });

  test('a range exchange keeps the global order across partitions, nulls last', async () => {
    const rows = schemaOf([['iata', 'VARCHAR'], ['latitude', 'DOUBLE']]);
    const withNulls = 'SELECT iata, CASE WHEN iata LIKE \'%7%\' THEN NULL ELSE latitude END AS latitude FROM airports';
    const plan: PhysicalPlan = {
      stages: [
        stage(0, withNulls, { kind: 'range', keys: [{ sql: 'latitude', ascending: false, nullsFirst: false }, { sql: 'iata', ascending: true, nullsFirst: true }], partitions: 4 }, airportsScans(), [], rows),
        stage(1, 'SELECT * FROM sorted ORDER BY latitude DESC NULLS LAST, iata ASC NULLS FIRST', { kind: 'result' },
          [0, 1, 2, 3].map((p) => [exchangeInput('sorted', 0, [p], rows)]), [0], rows),
      ],
      resultStageId: 1,
      schema: rows,
    };
    const expected = await fixture.reference.rows(`SELECT iata, CASE WHEN iata LIKE '%7%' THEN NULL ELSE latitude END AS latitude FROM read_csv('${AIRPORTS_CSV}') ORDER BY 2 DESC NULLS LAST, 1`);
    const result = await fixture.cluster.runJob(plan);
    expect(rowsOf(result).map((r) => [r.iata, r.latitude])).toEqual(expected);
    // Every partition got a share: the sampled bounds split the keys rather than sending all to one.
    const url = new URL(fixture.cluster.url);
    const response = await fetch(`${url.origin}/api/cluster/jobs/${result.jobId}${url.search}`);
    const job = (await response.json()) as { state: string; events: { event: string; stageId?: number; rowsOut?: number }[] };
    expect(job.state).toBe('succeeded');
    const consumerRows = job.events.filter((e) => e.event === 'taskSucceeded' && e.stageId === 1).map((e) => e.rowsOut!);
    expect(consumerRows).toHaveLength(4);
    expect(Math.min(...consumerRows)).toBeGreaterThan(400);
    expect(consumerRows.reduce((a, b) => a + b, 0)).toBe(3376);
  });

  test('a CSV scan gathered to one task', async () => {
    const plan: PhysicalPlan = {
      stages: [
        stage(0, 'SELECT country, latitude FROM airports', { kind: 'gather' }, [[filesInput('airports', [{ path: AIRPORTS_CSV }], 'csv')]], [], AIRPORTS_SCHEMA),
        stage(1, 'SELECT country, count(*)::INTEGER AS n, max(latitude) AS top FROM everything GROUP BY country ORDER BY country', { kind: 'result' },
          [[exchangeInput('everything', 0, 'all', AIRPORTS_SCHEMA)]], [0]),
      ],
      resultStageId: 1,
      schema: AIRPORTS_SCHEMA,
    };
    const expected = await fixture.reference.rows(`SELECT country, count(*)::INTEGER, max(latitude) FROM read_csv('${AIRPORTS_CSV}') GROUP BY 1 ORDER BY 1`);
    expect(rowsOf(await fixture.cluster.runJob(plan)).map((r) => [r.country, r.n, r.top])).toEqual(expected);
  });

  test('a write job commits partitioned Parquet atomically with _SUCCESS', async () => {
    const target = join(fixture.dir, 'out', 'by-country');
    const plan: PhysicalPlan = {
      stages: [stage(0, 'SELECT iata, country FROM airports', { kind: 'write', format: 'parquet', path: target, mode: 'error', partitionBy: ['country'] }, airportsScans())],
      resultStageId: 0,
      schema: AIRPORTS_SCHEMA,
    };
    const result = await fixture.cluster.runJob(plan);
    if (!('written' in result)) throw new Error('expected a write result');
    expect(result.written.rows).toBe(3376);
    expect(existsSync(join(target, '_SUCCESS'))).toBe(true);
    expect(readdirSync(join(fixture.dir, 'out'))).toEqual(['by-country']);
    const [[count]] = await fixture.reference.rows(`SELECT count(*) FROM read_parquet('${target}/**/*.parquet', hive_partitioning = true) WHERE country IS NOT NULL`);
    expect(Number(count)).toBe(3376);
    await expect(fixture.cluster.runJob(plan)).rejects.toThrow(/already exists and the save mode is 'error'/);
    const overwrite = { ...plan, stages: [{ ...plan.stages[0]!, output: { ...plan.stages[0]!.output, mode: 'overwrite' as const } }] } as PhysicalPlan;
    const again = await fixture.cluster.runJob(overwrite);
    expect('written' in again && again.written.rows).toBe(3376);
    const [[recount]] = await fixture.reference.rows(`SELECT count(*) FROM read_parquet('${target}/**/*.parquet')`);
    expect(Number(recount)).toBe(3376);
  });

  test('a malformed plan is refused before any task runs', async () => {
    const plan: PhysicalPlan = { stages: [stage(0, 'SELECT 1', { kind: 'gather' }, [[]])], resultStageId: 0, schema: { fields: [] } };
    await expect(fixture.cluster.runJob(plan)).rejects.toThrow(/result stage 0 has a gather output/);
  });

  test('attachCluster reaches the same master by URL, and the token is required', async () => {
    const attached = attachCluster(fixture.cluster.url);
    const status = await attached.status();
    expect(status.workers.map((w) => [w.role, typeof w.pid, w.state === 'idle' || w.state === 'busy', typeof w.rssBytes])).toEqual([
      ['core', 'number', true, 'number'], ['core', 'number', true, 'number'],
    ]);
    const plan: PhysicalPlan = { stages: [stage(0, 'SELECT 7::BIGINT AS seven', { kind: 'result' }, [[]])], resultStageId: 0, schema: { fields: [] } };
    expect(rowsOf(await attached.runJob(plan))).toEqual([{ seven: 7n }]);
    const wrongToken = fixture.cluster.url.replace(/token=[^&]+/, 'token=not-the-token');
    await expect(attachCluster(wrongToken).status()).rejects.toThrow(/HTTP 401.*cluster token/);
    expect(() => attachCluster(new URL(fixture.cluster.url).origin)).toThrow(/has no token/);
  });
});
