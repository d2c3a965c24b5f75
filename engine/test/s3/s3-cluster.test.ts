/**
 * S3 end to end on a real two-worker cluster and a real s3rver: Parquet read in row-group splits with
 * a pushed filter, CSV, groups and joins answer what one DuckDB answers over the same files read
 * locally; writes commit atomically to s3://; CSV errors and dropped rows reach the driver.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DataFrame } from '../../src/api/dataframe.js';
import { col, count, sum } from '../../src/api/functions.js';
import { PROGRAMS } from '../../src/api/programs.test-util.js';
import { Session } from '../../src/api/session.js';
import type { SessionWarning } from '../../src/api/warnings.js';
import { FLIGHT_ROWS, ROW_GROUP_ROWS, scanTasks, startS3Data, type S3Data } from './s3-support.js';

let data: S3Data;
let scratch: string;
let cluster: Session;
let local: Session;
let onS3: { flights: DataFrame; airports: DataFrame };
let onDisk: { flights: DataFrame; airports: DataFrame };

beforeAll(async () => {
  data = await startS3Data();
  scratch = mkdtempSync(join(tmpdir(), 'quire-s3-cluster-'));
  [cluster, local] = await Promise.all([
    // Small splits so the ten row groups of the flights file spread over several tasks.
    Session.start({ workers: 2, scratchDir: join(scratch, 'cluster'), shufflePartitions: 3, targetSplitBytes: 40_000, s3: data.s3.config }),
    Session.start({ local: true }),
  ]);
  onS3 = { flights: await cluster.read.parquet(data.remote.flights), airports: await cluster.read.csv(data.remote.airports) };
  onDisk = { flights: await local.read.parquet(data.local.flights), airports: await local.read.csv(data.local.airports) };
}, 120_000);

afterAll(async () => {
  await Promise.all([cluster?.stop(), local?.stop()]);
  await data?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('reading s3:// on the cluster answers like one DuckDB reading the files locally', () => {
  it('splits the Parquet object by row groups over several tasks', async () => {
    expect(scanTasks(await onS3.flights.explain())).toBeGreaterThan(1);
    expect(await onS3.flights.count()).toBe(FLIGHT_ROWS);
  });

  it('prunes row groups by a pushed filter and returns the same rows', async () => {
    // The file is sorted by distance, so only the last row group holds the longest flights.
    const longest = await onDisk.flights.orderBy(col('distance').desc()).limit(ROW_GROUP_ROWS / 2).collect();
    const threshold = Number(longest.at(-1)!.distance);
    const query = (flights: DataFrame) => flights.filter(col('distance').ge(threshold)).orderBy('distance', 'date', 'origin', 'destination');
    expect(scanTasks(await query(onS3.flights).explain())).toBe(1);
    const [distributed, reference] = await Promise.all([query(onS3.flights).collect(), query(onDisk.flights).collect()]);
    expect(distributed.length).toBeGreaterThanOrEqual(ROW_GROUP_ROWS / 2);
    expect(distributed).toEqual(reference);
  });

  it.each(PROGRAMS.map((p) => [p.name, p] as const))('%s', async (_, program) => {
    const [distributed, reference] = await Promise.all([program.build(onS3).collect(), program.build(onDisk).collect()]);
    expect(distributed).toEqual(reference);
  });
});

/** Explicit types make 'not-a-number' a malformed row instead of a reason to infer VARCHAR. */
const salesSchema = { id: 'BIGINT', amount: 'BIGINT' };

describe('CSV on s3:// through the cluster', () => {
  it("fails in 'failfast' mode naming the object and line", async () => {
    const sales = await cluster.read.csv(data.remote.sales, { schema: salesSchema });
    await expect(sales.collect()).rejects.toThrow(`malformed CSV row in ${data.remote.sales} at line 3`);
  });

  it("drops malformed rows in 'permissive' mode and tells the session how many", async () => {
    const warnings: SessionWarning[] = [];
    const stopListening = cluster.onWarning((w) => warnings.push(w));
    try {
      const sales = await cluster.read.csv(data.remote.sales, { schema: salesSchema, mode: 'permissive' });
      expect(await sales.orderBy('id').collect()).toEqual([
        { id: 1, amount: 10 },
        { id: 3, amount: 30 },
        { id: 5, amount: 50 },
      ]);
    } finally {
      stopListening();
    }
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.malformedRows).toEqual([{ file: data.remote.sales, count: 2, firstLine: 3, firstError: expect.stringContaining('not-a-number') }]);
    expect(warnings[0]!.message).toMatch(/^dropped 2 malformed CSV rows \(mode 'permissive'\): s3:\/\/.*sales\.csv: 2; first in .* at line 3/);
  });
});

describe('writing to s3:// through the cluster', () => {
  // BIGINT: a HUGEINT sum would come back from Parquet as another type.
  const byOrigin = (flights: DataFrame) => flights.groupBy('origin').agg(count().alias('flights'), sum('delay').cast('BIGINT').alias('delay'));

  it('writes Parquet partitioned by a column, commits with _SUCCESS and reads back the same rows', async () => {
    const target = `s3://${data.s3.bucket}/curated/by-origin`;
    const written = await byOrigin(onS3.flights).write.parquet(target, { partitionBy: 'origin' });
    expect(written.path).toBe(target);
    const keys = await data.keys('curated/by-origin/');
    expect(keys).toContain('curated/by-origin/_SUCCESS');
    expect(keys.some((k) => k.includes('_temporary'))).toBe(false);
    expect(keys.filter((k) => k.endsWith('.parquet'))).toHaveLength(written.files.length);
    expect(keys.every((k) => k.endsWith('_SUCCESS') || /\/origin=[^/]+\/part-/.test(k))).toBe(true);

    const back = (await cluster.read.parquet(`${target}/**/*.parquet`)).select('origin', 'flights', 'delay').orderBy('origin');
    expect(await back.collect()).toEqual(await byOrigin(onDisk.flights).select('origin', 'flights', 'delay').orderBy('origin').collect());
  });

  it("refuses an existing target in mode 'error', replaces it in 'overwrite' and adds to it in 'append'", async () => {
    const target = `s3://${data.s3.bucket}/curated/modes`;
    const small = onS3.flights.filter(col('distance').lt(200)).select('origin', 'destination', 'distance');
    const n = await small.count();
    await small.write.parquet(target);
    await expect(small.write.parquet(target)).rejects.toThrow(/already exists/);
    await small.write.parquet(target, { mode: 'overwrite' });
    expect(await (await cluster.read.parquet(target)).count()).toBe(n);
    await small.write.parquet(target, { mode: 'append' });
    expect(await (await cluster.read.parquet(target)).count()).toBe(2 * n);
  });

  it('leaves nothing where readers look when the job fails', async () => {
    const target = `s3://${data.s3.bucket}/curated/failed`;
    // Flights are written by several tasks; the malformed CSV row fails the job after some have uploaded.
    const sales = await cluster.read.csv(data.remote.sales, { schema: salesSchema });
    const doomed = onS3.flights.select(col('distance').alias('id')).union(sales.select('id'));
    await expect(doomed.write.parquet(target)).rejects.toThrow(/malformed CSV row/);
    // The staged objects are deleted once the interrupted tasks have reported.
    await expect.poll(() => data.keys('curated/failed/'), { timeout: 10_000 }).toEqual([]);
  });
});
