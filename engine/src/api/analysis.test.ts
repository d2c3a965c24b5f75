/** DataFrames are analyzed as they are built: plans, and the errors users see before any job runs. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePlan } from '../plan/describe.js';
import { AnalysisError } from '../plan/errors.js';
import type { DataFrame } from './dataframe.js';
import { avg, col, count, desc, expr, lit, rowNumber, sum, when } from './functions.js';
import { Session } from './session.js';
import { AIRPORTS_CSV, FLIGHTS_PARQUET } from './test-session.test-util.js';
import { Window } from './window.js';

let spark: Session;
let flights: DataFrame;
let airports: DataFrame;

beforeAll(async () => {
  spark = await Session.start({ local: true });
  flights = await spark.read.parquet(FLIGHTS_PARQUET);
  airports = await spark.read.csv(AIRPORTS_CSV, { header: true });
});
afterAll(() => spark.stop());

describe('schemas', () => {
  it('reads the file schema and derives result types as transformations are built', () => {
    expect(flights.dtypes).toEqual([['date', 'TIMESTAMP'], ['delay', 'BIGINT'], ['distance', 'BIGINT'], ['origin', 'VARCHAR'], ['destination', 'VARCHAR']]);
    const summary = flights.groupBy('origin').agg(sum('delay').alias('total'), avg('distance'), count().alias('n'));
    expect(summary.dtypes).toEqual([['origin', 'VARCHAR'], ['total', 'HUGEINT'], ['avg(distance)', 'DOUBLE'], ['n', 'BIGINT']]);
    const derived = flights.withColumn('late', col('delay').gt(15)).withColumn('hours', col('distance').divide(500));
    expect(derived.dtypes.slice(-2)).toEqual([['late', 'BOOLEAN'], ['hours', 'DOUBLE']]);
  });
  it('replaces a column in place with withColumn and renames with withColumnRenamed', () => {
    expect(flights.withColumn('delay', col('delay').cast('double')).dtypes[1]).toEqual(['delay', 'DOUBLE']);
    expect(flights.withColumnRenamed('origin', 'from').columns).toEqual(['date', 'delay', 'distance', 'from', 'destination']);
    expect(flights.drop('date', 'distance').columns).toEqual(['delay', 'origin', 'destination']);
  });
  it('outputs a USING join key once, first', () => {
    const renamed = airports.withColumnRenamed('iata', 'origin');
    expect(flights.join(renamed, 'origin', 'left').columns).toEqual(['origin', 'date', 'delay', 'distance', 'destination', 'name', 'city', 'state', 'country', 'latitude', 'longitude']);
    expect(flights.join(renamed, 'origin', 'semi').columns).toEqual(flights.columns);
  });
  it('plans window functions as a window node under the projection', () => {
    const ranked = flights.select(col('origin'), rowNumber().over(Window.partitionBy('origin').orderBy(desc('delay'))).alias('rn'));
    expect(describePlan(ranked.plan).split('\n').map((l) => l.trim().split(' ')[0]!.replace('+-', '').trim() || l.trim().split(' ')[1])).toEqual(['Project', 'Window', 'Scan']);
    expect(ranked.dtypes).toEqual([['origin', 'VARCHAR'], ['rn', 'BIGINT']]);
    const nested = flights.select(rowNumber().over(Window.orderBy('date')).plus(1).alias('next'), sum('delay').over(Window.partitionBy('origin')));
    expect(nested.dtypes).toEqual([['next', 'BIGINT'], ['sum(delay) OVER (PARTITION BY origin)', 'HUGEINT']]);
  });
});

describe('analysis errors are thrown while building, naming what is missing and what exists', () => {
  it('a missing column', () => {
    expect(() => flights.select('fare')).toThrow(new AnalysisError("column 'fare' not found; available: date, delay, distance, origin, destination"));
    expect(() => flights.filter(col('fare').gt(1))).toThrow(AnalysisError);
    expect(() => flights.groupBy('carrier').count()).toThrow(/column 'carrier' not found/);
    expect(() => flights.orderBy('fare')).toThrow(/column 'fare' not found/);
  });
  it('a type mismatch', () => {
    expect(() => flights.filter(col('origin').plus(1).gt(0))).toThrow(/type mismatch: cannot apply '\+' to origin \(VARCHAR\) and 1 \(INTEGER\)/);
    expect(() => flights.filter(col('delay'))).toThrow(/a filter condition must be BOOLEAN, but delay is BIGINT/);
    expect(() => flights.select(when(col('delay').gt(0), 'late').otherwise(lit(0)))).toThrow(/CASE results do not share a type/);
  });
  it('an unknown table in SQL and in spark.table()', async () => {
    expect(() => spark.table('nope')).toThrow(/table or view 'nope' not found/);
    await expect(spark.sql('SELECT * FROM nope')).rejects.toThrow(AnalysisError);
  });
  it('a column that is neither grouped nor aggregated', () => {
    expect(() => flights.groupBy('origin').agg(col('delay'))).toThrow(/column 'delay' must be in groupBy\(\) or used inside an aggregate/);
  });
  it('a window function without a window', () => {
    expect(() => flights.select(rowNumber())).toThrow(/row_number\(\) is a window function: give it a window with \.over/);
  });
  it('an ambiguous column after a join', () => {
    const a = flights.select('origin', 'delay');
    const b = flights.select('origin', 'distance');
    expect(() => a.join(b, a.col('origin').eq(b.col('origin'))).select('origin')).toThrow(/column 'origin' is ambiguous/);
    expect(a.join(b, a.col('origin').eq(b.col('origin'))).select(a.col('origin'), 'distance').columns).toEqual(['origin', 'distance']);
  });
  it('df.col() of a DataFrame joined with one derived from it means that DataFrame\'s column', () => {
    const other = flights.select(col('delay').alias('d2'), 'origin');
    const joined = flights.join(other, flights.col('delay').eq(col('d2')).and(flights.col('origin').eq(other.col('origin'))), 'left');
    expect(joined.select(flights.col('origin'), other.col('origin').alias('o2')).columns).toEqual(['origin', 'o2']);
    expect(() => flights.join(flights, flights.col('origin').eq(flights.col('destination')))).toThrow(/ambiguous in a self-join: alias the DataFrames/);
  });
  it('a missing USING join key names the side', () => {
    expect(() => flights.join(airports, 'iata')).toThrow(/join key 'iata' not found in the left DataFrame; available: date, delay/);
  });
  it('SQL-text expressions are checked by DuckDB when the DataFrame is awaited or run', async () => {
    const bad = flights.filter('fare > 10');
    await expect(bad.resolved()).rejects.toThrow(/fare/);
    await expect(bad.count()).rejects.toThrow(AnalysisError);
    const good = await flights.select(expr('delay * 2').alias('twice'), 'origin').filter("origin = 'SFO'").resolved();
    expect(good.dtypes).toEqual([['twice', 'BIGINT'], ['origin', 'VARCHAR']]);
  });

  it('SQL-text expressions with functions the analyzer does not type run with the type DuckDB gives them, aliased in the text or not', async () => {
    const hashed = flights.limit(2).select(expr("md5(origin)").alias('h'), expr("upper(md5(origin)) AS loud"), 'origin');
    expect((await hashed.resolved()).dtypes).toEqual([['h', 'VARCHAR'], ['loud', 'VARCHAR'], ['origin', 'VARCHAR']]);
    const rows = await hashed.collect();
    const reference = (await spark.connection.runAndReadAll(`SELECT md5('${rows[0]!.origin}') AS h`)).getRowObjectsJson();
    expect(rows[0]).toEqual({ h: reference[0]!.h, loud: String(reference[0]!.h).toUpperCase(), origin: rows[0]!.origin });
  });
});

describe('explain', () => {
  it('shows the logical plan, the optimized plan with pushed filters and pruned columns, and the physical plan', async () => {
    const text = await flights.filter(col('origin').eq('SFO')).select('delay').explain();
    expect(text).toContain('== Logical Plan ==\nProject [delay]\n+- Filter (origin = \'SFO\')');
    expect(text).toMatch(/== Optimized Logical Plan ==\nProject \[delay\]\n\+- Scan parquet .* columns=\[delay, origin\] filters=\[\(origin = 'SFO'\)\]/);
    expect(text).toContain('== Physical Plan ==');
  });
});
