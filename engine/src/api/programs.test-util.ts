/**
 * DataFrame programs over real data and the DuckDB SQL that answers the same question. Each
 * program's rows are deterministic (fully ordered), so answers compare row by row.
 */
import type { DataFrame } from './dataframe.js';
import { avg, col, count, countDistinct, desc, lag, max, rowNumber, sum, when, year, month, round, upper, concat, lit, substring } from './functions.js';
import { Window } from './window.js';

export interface Program {
  name: string;
  build(t: { flights: DataFrame; airports: DataFrame }): DataFrame;
  /** The same question for DuckDB, over relations `flights` and `airports`. */
  sql: string;
}

/** A bounded sample keeps the tests fast; the LIMIT is part of both sides. */
export const FLIGHTS_SAMPLE = 20_000;

export const PROGRAMS: Program[] = [
  {
    name: 'filter + groupBy + orderBy',
    build: ({ flights }) =>
      flights.filter(col('delay').gt(0)).groupBy('origin').agg(count().alias('n'), sum('delay').alias('total'), max('distance').alias('longest'))
        .orderBy(desc('n'), 'origin').limit(10),
    sql: `SELECT origin, count(*) AS n, sum(delay) AS total, max(distance) AS longest FROM flights WHERE delay > 0
          GROUP BY origin ORDER BY n DESC, origin LIMIT 10`,
  },
  {
    name: 'join on a condition + aggregate over the joined columns',
    build: ({ flights, airports }) =>
      flights.join(airports, flights.col('origin').eq(airports.col('iata')))
        .groupBy('state').agg(countDistinct('origin').alias('airports'), round(avg('delay'), 3).alias('avg_delay'))
        .orderBy('state'),
    sql: `SELECT state, count(DISTINCT origin) AS airports, round(avg(delay), 3) AS avg_delay FROM flights JOIN airports ON origin = iata
          GROUP BY state ORDER BY state NULLS FIRST`,
  },
  {
    name: 'left join with USING-style key, missing matches kept',
    build: ({ flights, airports }) =>
      flights.select('destination').distinct().join(airports.withColumnRenamed('iata', 'destination'), 'destination', 'left')
        .select('destination', 'state').orderBy('destination'),
    sql: `SELECT destination, state FROM (SELECT DISTINCT destination FROM flights) f LEFT JOIN airports a ON f.destination = a.iata
          ORDER BY destination NULLS FIRST`,
  },
  {
    name: 'anti join',
    build: ({ flights, airports }) => airports.join(flights, airports.col('iata').eq(flights.col('origin')), 'anti').agg(count().alias('n')),
    sql: `SELECT count(*) AS n FROM airports WHERE iata NOT IN (SELECT origin FROM flights)`,
  },
  {
    name: 'window: best flight per origin and previous delay',
    build: ({ flights }) => {
      const byDelay = Window.partitionBy('origin').orderBy(desc('delay'), 'date', 'destination');
      return flights
        .withColumn('rn', rowNumber().over(byDelay))
        .withColumn('prev', lag('delay').over(byDelay))
        .filter(col('rn').le(2))
        .select('origin', 'delay', 'rn', 'prev')
        .orderBy('origin', 'rn');
    },
    sql: `SELECT origin, delay, rn, prev FROM (
            SELECT origin, delay,
              row_number() OVER (PARTITION BY origin ORDER BY delay DESC NULLS LAST, date ASC NULLS FIRST, destination ASC NULLS FIRST) AS rn,
              lag(delay) OVER (PARTITION BY origin ORDER BY delay DESC NULLS LAST, date ASC NULLS FIRST, destination ASC NULLS FIRST) AS prev
            FROM flights) WHERE rn <= 2 ORDER BY origin NULLS FIRST, rn NULLS FIRST`,
  },
  {
    name: 'running total over a window',
    build: ({ flights }) =>
      flights.groupBy(month('date').alias('m')).agg(count().alias('n'))
        .withColumn('running', sum('n').over(Window.orderBy('m').rowsBetween(Window.unboundedPreceding, Window.currentRow)))
        .orderBy('m'),
    sql: `SELECT m, n, sum(n) OVER (ORDER BY m ASC NULLS FIRST ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running
          FROM (SELECT month(date) AS m, count(*) AS n FROM flights GROUP BY 1) ORDER BY m`,
  },
  {
    name: 'expressions: when/otherwise, string and date functions',
    build: ({ flights }) =>
      flights
        .select(
          concat(upper(substring('origin', 1, 2)), lit('-'), col('destination')).alias('route'),
          when(col('delay').gt(30), 'late').when(col('delay').gt(0), 'slightly').otherwise('on time').alias('status'),
          year('date').alias('y'),
        )
        .groupBy('status', 'y').agg(count().alias('n'))
        .orderBy('status', 'y'),
    sql: `SELECT status, y, count(*) AS n FROM (
            SELECT CASE WHEN delay > 30 THEN 'late' WHEN delay > 0 THEN 'slightly' ELSE 'on time' END AS status, year(date) AS y FROM flights)
          GROUP BY status, y ORDER BY status, y`,
  },
  {
    name: 'SQL-text filter and union',
    build: ({ flights }) => {
      const sfo = flights.filter("origin = 'SFO' AND delay > 60").select('origin', 'delay');
      const lax = flights.filter("origin = 'LAX' AND delay > 60").select('origin', 'delay');
      return sfo.union(lax).groupBy('origin').agg(count().alias('n'), max('delay').alias('worst')).orderBy('origin');
    },
    sql: `SELECT origin, count(*) AS n, max(delay) AS worst FROM flights WHERE origin IN ('SFO', 'LAX') AND delay > 60
          GROUP BY origin ORDER BY origin`,
  },
  {
    name: 'dropDuplicates on a subset, then count',
    build: ({ flights }) => flights.dropDuplicates(['origin', 'destination']).groupBy('origin').count().orderBy(desc('count'), 'origin').limit(5),
    sql: `SELECT origin, count(*) AS count FROM (SELECT DISTINCT origin, destination FROM flights) GROUP BY origin ORDER BY count DESC, origin LIMIT 5`,
  },
];
