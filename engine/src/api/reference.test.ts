/**
 * DataFrame programs run in one DuckDB (a local Session renders each plan as one query) must answer
 * what hand-written DuckDB SQL answers on the same data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableToRows } from './rows.js';
import type { DataFrame } from './dataframe.js';
import { FLIGHTS_SAMPLE, PROGRAMS } from './programs.test-util.js';
import { count, desc, substring } from './functions.js';
import { Session } from './session.js';
import { AIRPORTS_CSV, FLIGHTS_PARQUET } from './test-session.test-util.js';
import { writeQueryAsArrowIpc } from '../exchange/arrow-result.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tableFromArrays, tableFromIPC } from 'apache-arrow';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { randomUUID } from 'node:crypto';

let spark: Session;
let tables: { flights: DataFrame; airports: DataFrame };

beforeAll(async () => {
  spark = await Session.start({ local: true });
  const flights = (await spark.read.parquet(FLIGHTS_PARQUET)).limit(FLIGHTS_SAMPLE);
  const airports = await spark.read.csv(AIRPORTS_CSV, { header: true, inferSchema: true });
  tables = { flights, airports };
});
afterAll(() => spark.stop());

async function duckdbAnswer(sql: string) {
  const query = `WITH flights AS (SELECT * FROM read_parquet('${FLIGHTS_PARQUET}') LIMIT ${FLIGHTS_SAMPLE}),
    airports AS (SELECT * FROM read_csv('${AIRPORTS_CSV}', header = true)) ${sql}`;
  const file = join(tmpdir(), `quire-ref-${randomUUID()}.arrows`);
  try {
    await writeQueryAsArrowIpc(spark.connection, query, file);
    return tableToRows(tableFromIPC(readFileSync(file)));
  } finally {
    rmSync(file, { force: true });
  }
}

describe('DataFrame programs match DuckDB', () => {
  it.each(PROGRAMS.map((p) => [p.name, p] as const))('%s', async (_, program) => {
    const rows = await program.build(tables).collect();
    expect(rows.length).toBeGreaterThan(0);
    expect(rows).toEqual(await duckdbAnswer(program.sql));
  });

  it('count(), first(), take() and show()', async () => {
    const { flights } = tables;
    expect(await flights.count()).toBe(FLIGHTS_SAMPLE);
    const [expected] = await duckdbAnswer('SELECT * FROM flights ORDER BY date, origin, destination LIMIT 1');
    expect(await flights.orderBy('date', 'origin', 'destination').first()).toEqual(expected);
    expect(await flights.take(3)).toHaveLength(3);
    const text = await flights.select('origin', 'destination').orderBy('origin', 'destination').show(2);
    expect(text.split('\n')).toEqual([
      '+------+-----------+', '|origin|destination|', '+------+-----------+', '|   ABE|        ATL|', '|   ABE|        ATL|', '+------+-----------+', 'only showing top 2 rows',
    ]);
  });

  it('createDataFrame rows and spark.range', async () => {
    const df = spark.createDataFrame([{ id: 1, name: 'a', score: 1.5 }, { id: 2, name: null, score: 2 }]);
    expect(df.dtypes).toEqual([['id', 'BIGINT'], ['name', 'VARCHAR'], ['score', 'DOUBLE']]);
    expect(await df.orderBy('id').collect()).toEqual([{ id: 1, name: 'a', score: 1.5 }, { id: 2, name: null, score: 2 }]);
    expect(await spark.range(5).filter('id % 2 = 0').collect()).toEqual([{ id: 0 }, { id: 2 }, { id: 4 }]);
  });

  it('SQL comma joins become equi-joins and answer like DuckDB', async () => {
    tables.flights.createOrReplaceTempView('flights');
    tables.airports.createOrReplaceTempView('airports');
    const query = `SELECT a.state, b.state AS dest_state, count(*) AS n FROM flights f, airports a, airports b
      WHERE f.origin = a.iata AND f.destination = b.iata AND f.delay > 10 GROUP BY 1, 2 ORDER BY n DESC, 1, 2 LIMIT 5`;
    const df = await spark.sql(query);
    const explained = await df.explain();
    const optimized = explained.slice(explained.indexOf('== Optimized Logical Plan =='), explained.indexOf('== Physical Plan =='));
    expect(optimized).not.toContain('Join cross');
    expect(optimized.match(/Join inner/g)).toHaveLength(2);
    expect(await df.collect()).toEqual(await duckdbAnswer(query));
  });

  it('a type error the analyzer does not model is still caught before the job, by DuckDB', async () => {
    const df = tables.flights.select(substring('delay', 1, 2));
    await expect(df.collect()).rejects.toThrow(/the query does not type-check: Binder Error: No function matches .*substring\(BIGINT/);
  });

  it('createDataFrame from an Arrow table keeps its types', async () => {
    const table = tableFromArrays({ id: Int32Array.of(3, 1, 2), name: ['c', 'a', 'b'], score: Float64Array.of(0.5, 1.5, 2.5) });
    const df = spark.createDataFrame(table);
    expect(df.dtypes).toEqual([['id', 'INTEGER'], ['name', 'VARCHAR'], ['score', 'DOUBLE']]);
    expect(await df.orderBy('id').select('name').collect()).toEqual([{ name: 'a' }, { name: 'b' }, { name: 'c' }]);
  });

  it('writes CSV and JSON lines and reads them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'quire-write-'));
    try {
      const top = tables.flights.groupBy('origin').agg(count().alias('n')).orderBy(desc('n'), 'origin').limit(5);
      const expected = await top.collect();
      const written = await top.write.csv(join(dir, 'csv'), { header: true });
      expect(written.rows).toBe(5);
      expect(written.files).toHaveLength(1);
      expect(written.bytes).toBeGreaterThan(0);
      await top.write.json(join(dir, 'json'));
      await expect(top.write.json(join(dir, 'json'))).rejects.toThrow(/already exists/);
      await top.write.json(join(dir, 'json'), { mode: 'overwrite' });
      const csv = await spark.read.csv(join(dir, 'csv', '*.csv'), { header: true });
      const json = await spark.read.json(join(dir, 'json', '*.json'));
      expect(await csv.orderBy(desc('n'), 'origin').collect()).toEqual(expected);
      expect(await json.orderBy(desc('n'), 'origin').collect()).toEqual(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SQL over temp views', async () => {
    tables.flights.createOrReplaceTempView('flights');
    expect(spark.catalog.listTables().map((t) => t.name)).toContain('flights');
    const df = await spark.sql('SELECT origin, count(*) AS n FROM flights GROUP BY origin ORDER BY n DESC, origin LIMIT 3');
    expect(await df.collect()).toEqual(await duckdbAnswer('SELECT origin, count(*) AS n FROM flights GROUP BY origin ORDER BY n DESC, origin LIMIT 3'));
  });
});
