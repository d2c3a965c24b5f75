/**
 * End to end on a real two-worker cluster: the same DataFrame programs must answer exactly what the
 * single-process reference answers; writes, progress and cancellation work through the Session.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobProgress } from '../cluster/types.js';
import type { DataFrame } from './dataframe.js';
import { col, count, desc } from './functions.js';
import { FLIGHTS_SAMPLE, PROGRAMS } from './programs.test-util.js';
import { Session } from './session.js';
import { AIRPORTS_CSV, FLIGHTS_PARQUET } from './test-session.test-util.js';

let cluster: Session;
let local: Session;
let scratch: string;
const on = async (spark: Session) => ({
  flights: (await spark.read.parquet(FLIGHTS_PARQUET)).limit(FLIGHTS_SAMPLE),
  airports: await spark.read.csv(AIRPORTS_CSV, { header: true }),
});
let clusterTables: { flights: DataFrame; airports: DataFrame };
let localTables: { flights: DataFrame; airports: DataFrame };

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'quire-session-test-'));
  [cluster, local] = await Promise.all([Session.start({ workers: 2, scratchDir: join(scratch, 'cluster'), shufflePartitions: 3 }), Session.start({ local: true })]);
  [clusterTables, localTables] = await Promise.all([on(cluster), on(local)]);
});
afterAll(async () => {
  await Promise.all([cluster?.stop(), local?.stop()]);
  rmSync(scratch, { recursive: true, force: true });
});

describe('a two-worker cluster answers like one DuckDB', () => {
  it.each(PROGRAMS.map((p) => [p.name, p] as const))('%s', async (_, program) => {
    const [distributed, reference] = await Promise.all([program.build(clusterTables).collect(), program.build(localTables).collect()]);
    expect(distributed).toEqual(reference);
  });

  it('reads the whole Parquet file across workers and reports progress', async () => {
    const updates: JobProgress[] = [];
    const unsubscribe = cluster.onProgress((p) => updates.push(p));
    const full = await cluster.read.parquet(FLIGHTS_PARQUET);
    const top = await full.groupBy('origin').agg(count().alias('n')).orderBy(desc('n'), 'origin').limit(3).collect();
    unsubscribe();
    expect(top).toEqual(await (await local.read.parquet(FLIGHTS_PARQUET)).groupBy('origin').agg(count().alias('n')).orderBy(desc('n'), 'origin').limit(3).collect());
    expect(updates.length).toBeGreaterThan(0);
    expect(updates.some((u) => u.tasks.total > 0)).toBe(true);
    expect(await cluster.explain(full.groupBy('origin').count().plan)).toMatch(/== Physical Plan ==\n[\s\S]*Stage/);
  });

  it('writes Parquet partitioned by a column, refuses to overwrite by default, and reads it back', async () => {
    const target = join(scratch, 'out');
    const sample = clusterTables.flights.filter(col('origin').isin('SFO', 'LAX', 'SEA')).select('origin', 'destination', 'delay');
    const written = await sample.write.parquet(target, { partitionBy: 'origin' });
    expect(written.rows).toBe(await sample.count());
    expect(readdirSync(target).filter((n) => n.startsWith('origin=')).sort()).toEqual(['origin=LAX', 'origin=SEA', 'origin=SFO']);
    expect(existsSync(join(target, '_SUCCESS'))).toBe(true);
    await expect(sample.write.parquet(target)).rejects.toThrow(/already exists/);
    const back = await cluster.read.parquet(join(target, '**/*.parquet'));
    expect(await back.filter(col('origin').eq('SFO')).count()).toBe(await sample.filter(col('origin').eq('SFO')).count());
  });

  it('cancels a running job when the signal aborts', async () => {
    const controller = new AbortController();
    const full = await cluster.read.parquet(FLIGHTS_PARQUET);
    const job = full.join(full.select(col('origin').alias('o2')), col('origin').eq(col('o2'))).count({ signal: controller.signal });
    setTimeout(() => controller.abort(), 300);
    await expect(job).rejects.toThrow(/cancel|abort/i);
  });
});
