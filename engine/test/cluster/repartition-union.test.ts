/**
 * Hash exchange files sit in `__quire_partition=N/` directories. Reading them must not add that
 * directory as a column, or a UNION over repartitioned inputs has mismatched column counts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DataFrame } from '../../src/api/dataframe.js';
import { Session } from '../../src/api/session.js';
import { FLIGHTS_PARQUET } from '../../src/api/test-session.test-util.js';

let scratch: string;
let cluster: Session;
let local: Session;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'quire-repartition-union-'));
  [cluster, local] = await Promise.all([Session.start({ workers: 2, scratchDir: join(scratch, 'cluster') }), Session.start({ local: true })]);
}, 60_000);

afterAll(async () => {
  await Promise.all([cluster?.stop(), local?.stop()]);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const airports = async (spark: Session): Promise<DataFrame> => {
  const f = (await spark.read.parquet(FLIGHTS_PARQUET)).limit(5_000).repartition(3, 'origin');
  return f.select('origin').union(f.select('destination')).distinct().orderBy('origin');
};

it('unions two projections of a repartitioned DataFrame', async () => {
  const [distributed, reference] = await Promise.all([(await airports(cluster)).collect(), (await airports(local)).collect()]);
  expect(distributed.length).toBeGreaterThan(10);
  expect(distributed).toEqual(reference);
});
