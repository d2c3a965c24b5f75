/**
 * Real data end to end on a two-worker cluster: all 3 million flights of vega-datasets'
 * flights-3m.parquet read in several tasks, filtered, grouped and joined to airports.csv (a small
 * table, so broadcast), answering exactly what single-process DuckDB answers over the same files.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compareResults } from '../../../bench/tpch/reference.js';
import type { DataFrame } from '../../src/api/dataframe.js';
import { avg, col, count, desc, max, month, sum } from '../../src/api/functions.js';
import { Session } from '../../src/api/session.js';
import { AIRPORTS_CSV, FLIGHTS_PARQUET } from '../../src/api/test-session.test-util.js';
import { openDuckDB } from '../../src/io/duckdb.js';
import { compareInOrder } from '../tpch/tpch-support.js';

let scratch: string;
let spark: Session;
let duck: { instance: DuckDBInstance; connection: DuckDBConnection };
let flights: DataFrame;
let airports: DataFrame;

async function duckdb(sql: string): Promise<Record<string, unknown>[]> {
  return (await duck.connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'quire-flights-test-'));
  // The file is 13 MB in 11 row groups: 2 MiB splits read it in several tasks.
  spark = await Session.start({ workers: 2, scratchDir: join(scratch, 'session'), targetSplitBytes: 2 * 1024 * 1024 });
  duck = await openDuckDB({ scratchDir: join(scratch, 'reference'), threads: 1 });
  await duck.connection.run(`CREATE VIEW flights AS SELECT * FROM read_parquet('${FLIGHTS_PARQUET}')`);
  await duck.connection.run(`CREATE VIEW airports AS SELECT * FROM read_csv('${AIRPORTS_CSV}', header = true)`);
  flights = await spark.read.parquet(FLIGHTS_PARQUET);
  airports = await spark.read.csv(AIRPORTS_CSV, { header: true });
});
afterAll(async () => {
  await spark?.stop();
  duck?.connection.closeSync();
  duck?.instance.closeSync();
  rmSync(scratch, { recursive: true, force: true });
});

describe('flights-3m.parquet on a two-worker cluster', () => {
  it('counts every flight', async () => {
    expect(await flights.count()).toBe(3_000_000);
  });

  it('delayed flights per origin state: filter, group, broadcast join to airports, group again', async () => {
    const perOrigin = flights
      .filter(col('delay').gt(15))
      .groupBy('origin')
      .agg(count().alias('delayed'), sum('delay').alias('minutes'), max('distance').alias('longest'));
    const program = perOrigin
      .join(airports, col('origin').eq(col('iata')))
      .groupBy('state')
      .agg(sum('delayed').alias('delayed'), sum('minutes').alias('minutes'), max('longest').alias('longest'), count().alias('airports'))
      .orderBy(desc('delayed'), 'state');
    const explained = await program.explain();
    expect(explained).toMatch(/BroadcastHashJoin/);
    expect(explained).not.toMatch(/single worker/);
    expect(explained).toMatch(/Scan parquet \(\d+ file splits in ([2-9]|\d\d+) tasks/);

    const expected = await duckdb(`
      SELECT state, sum(delayed) AS delayed, sum(minutes) AS minutes, max(longest) AS longest, count(*) AS airports
      FROM (SELECT origin, count(*) AS delayed, sum(delay) AS minutes, max(distance) AS longest FROM flights WHERE delay > 15 GROUP BY origin)
      JOIN airports ON origin = iata
      GROUP BY state ORDER BY delayed DESC, state`);
    expect(expected.length).toBeGreaterThan(40);
    expect(compareInOrder(await program.collect(), expected).difference ?? 'same rows').toBe('same rows');
  });

  it('average delay per month and route over all rows', async () => {
    const program = flights
      .join(airports.select(col('iata').alias('dest_iata'), col('state').alias('dest_state')), col('destination').eq(col('dest_iata')))
      .groupBy(month('date').alias('month'), 'dest_state')
      .agg(count().alias('flights'), avg('delay').alias('average_delay'));
    const expected = await duckdb(`
      SELECT month(date) AS month, state AS dest_state, count(*) AS flights, avg(delay) AS average_delay
      FROM flights JOIN airports ON destination = iata GROUP BY 1, 2`);
    const rows = await program.collect();
    expect(rows.length).toBe(expected.length);
    expect(compareResults(rows, expected).difference ?? 'same rows').toBe('same rows');
    expect(rows.reduce((n, r) => n + Number(r.flights), 0)).toBe(Number((await duckdb('SELECT count(*) AS n FROM flights JOIN airports ON destination = iata'))[0]!.n));
  });
});
