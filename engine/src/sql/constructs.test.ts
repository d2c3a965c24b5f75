import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { optimize } from '../optimizer/index.js';
import { sqlToPlan } from './index.js';
import { compareWithDuckDB, opaqueReasons, openTestDb, type TestDb } from './test-support/harness.js';

const data = join(import.meta.dirname, '../../../node_modules/vega-datasets/data');

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb(
    [
      // A small slice of the flights so the comparisons stay fast.
      ['flights', `SELECT * FROM read_parquet('${join(data, 'flights-3m.parquet')}') LIMIT 20000`],
      ['t', `SELECT * FROM (VALUES (1, 'a', 10.5), (2, 'b', NULL), (3, NULL, 7.25), (NULL, 'd', 1.0)) v(k, s, x)`],
      ['u', `SELECT * FROM (VALUES (1, 100), (3, 300), (3, 301), (5, 500)) v(k, y)`],
      ['n', `SELECT * FROM (VALUES (1), (NULL)) v(k)`],
    ],
    [['airports', join(data, 'airports.csv'), 'csv']],
  );
}, 60_000);
afterAll(() => db?.close());

/** Queries that must translate without any opaque node and give DuckDB's answer. */
const translated: Record<string, string> = {
  'aggregate with FILTER, DISTINCT and expressions of keys': `select origin, count(*) as n, count(distinct destination) as dests, avg(delay) filter (where delay > 0) as late, max(distance) - min(distance) as spread from flights group by origin having count(*) > 10`,
  'GROUP BY ordinal and alias, ORDER BY alias/ordinal/hidden expression, LIMIT OFFSET': `select origin as o, count(*) as c from flights group by 1 order by c desc, sum(distance) desc nulls first, 1 limit 5 offset 2`,
  'join to airports with USING-like ON, qualified and unqualified columns': `select a.state, f.origin, count(*) from flights f join airports a on f.origin = a.iata where a.state in ('CA', 'TX') group by all`,
  'left / right / full outer joins and USING': `select * from t left join u using (k) union all select t.k, s, x, y from t right join u on t.k = u.k union all select k, s, x, y from t full join u using (k)`,
  'DISTINCT, CASE (simple and searched), BETWEEN, NOT LIKE, IS NULL': `select distinct case when delay between -5 and 5 then 'on time' when delay > 5 then 'late' else 'early' end as status, case origin when 'LAX' then 1 else 0 end as lax from flights where destination not like 'S%' and delay is not null`,
  'EXTRACT, date_part, date arithmetic with INTERVAL, CAST and substring': `select extract(month from date) as m, date_part('hour', date) as h, cast(date as date) + interval 1 day as next_day, substring(origin, 1, 2) as prefix, cast(delay as double) / 2 as half from flights where date < timestamp '2001-01-05' + interval '2' hour limit 50`,
  'window functions with partitions, ordering and frames': `select origin, delay, rank() over (partition by origin order by delay desc) as r, sum(delay) over (partition by origin order by date rows between 2 preceding and current row) as rolling, lag(delay, 1, 0) over (order by date, origin, destination, delay) as prev from flights where origin in ('SAN', 'SMF')`,
  'QUALIFY over windows, aggregates and aliases': `select origin, destination, count(*) as c from flights group by origin, destination qualify rank() over (partition by origin order by c desc, destination) = 1 and c > 1`,
  'range and generate_series in FROM': `select r.i, t.s from range(4) r(i) left join t on r.i = t.k union all select generate_series, null from generate_series(10, 0, -3) union all select range, 'x' from range(5, 1, -2)`,
  'window over an aggregate': `select origin, count(*) as c, rank() over (order by count(*) desc) as r from flights group by origin`,
  'CTEs and subqueries in FROM with column aliases': `with busy as (select origin, count(*) as c from flights group by origin), top as (select * from busy where c > 100) select s.o, s.c from (select origin, c from top) as s(o, c) order by s.c desc`,
  'CTE with column aliases referenced twice': `with r(key, label) as (select k, s from t where k is not null) select a.key, b.label from r a join r b on a.key = b.key + 1`,
  'UNION (distinct) with type widening and ORDER BY ordinal': `select k, s from t union select y, cast(k as varchar) from u order by 1 nulls first`,
  'IN and NOT IN subqueries (NOT IN with NULLs on either side)': `select (select count(*) from t where k in (select k from u)) as a, (select count(*) from t where k not in (select k from u)) as b, (select count(*) from t where k not in (select k from n)) as c, (select count(*) from u where k not in (select k from t where k is not null)) as d, (select count(*) from t where k not in (select k from u where k > 100)) as e, (select count(*) from t where k not in (select k from t where k > 2)) as f`,
  'EXISTS, NOT EXISTS (correlated with non-equality) and a correlated scalar subquery': `select * from t where exists (select 1 from u where u.k = t.k and u.y > 100) union all select k, s, x from t where not exists (select * from u where u.k = t.k and u.y <> 300) and x < (select max(y) from u where u.k = t.k) union all select k, s, (select avg(y) + 1 from u where u.k = t.k) from t`,
  'uncorrelated scalar subqueries in SELECT, WHERE and HAVING (empty subquery gives NULL)': `select origin, count(*) as c, (select max(delay) from flights) as worst, (select max(y) from u where y > 1000) as none from flights where delay > (select avg(delay) from flights) group by origin having count(*) > (select min(y) / 100 from u)`,
  'correlated scalar subqueries with COUNT (0, not NULL, when nothing matches)': `select k, (select count(*) from u where u.k = t.k) as c, (select coalesce(sum(y), -1) + count(y) * 2 from u where u.k = t.k) as d from t where 1 > (select count(*) from u where u.k = t.k + 2)`,
  'correlated scalar subqueries over a restricted outer side (groups reduced to its keys; NULL keys, COUNT over no rows)': `select k, s, (select count(*) from u where u.k = t.k) as c, (select sum(y) from u where u.k = t.k) as total, (select count(*) from n where n.k = t.k) as nulls from t where s = 'a' or k is null`,
  'SELECT-list aliases named in HAVING and ORDER BY expressions': `select origin, count(*) filter (where delay > 15) * 100.0 / count(*) as pct_late from flights group by origin having pct_late > 20 and count(*) > 5 order by pct_late * -1, origin limit 10`,
  'scalar subquery without FROM': `select * from t where s = (select 'a')`,
  'SELECT without FROM and star expansion with qualifier': `select 1 + 2 as three, 'x' as s union all select k, s from t`,
  'expressions kept as SQL text over joined, partly ambiguous columns': `select [t.k, u.y][2] as second, u.k from t join u on t.k = u.k order by second`,
  'self join: same column names on both sides through windows, subqueries and SELECT *': `select a.k, b.k, a.s, b.s, rank() over (order by a.k, b.k) as r from t a, t b where a.k <= b.k and exists (select 1 from u where u.k = b.k) union all select a.k, b.k, a.s, b.s, 0 from t a join t b on a.k < b.k where b.k not in (select k from u where k > 3)`,
  'SELECT * over a self join': `select * from t a join t b on a.k <= b.k`,
  'INTERSECT and EXCEPT with NULLs and duplicates': `(select k, s from t union all select k, s from t intersect select k, cast(k as varchar) from n) union all (select k, 'x' from u except select k, 'x' from t) union all (select k, null from n except select k, null from t where k > 1)`,
  'STRUCT field access by dotted names': `select s.a, x.s.b from (select {'a': k, 'b': s} as s from t) x`,
  'star with EXCLUDE and REPLACE': `select * exclude (s, u.k) replace (x * 2 as x) from t join u on t.k = u.k`,
  'table alias with column aliases': `select a.key, a.label, x from t as a(key, label) where a.key > 1`,
  'qualified star': `select u.*, t.s from t, u where t.k = u.k`,
};

describe('SQL constructs translated into distributable plans', () => {
  for (const [name, query] of Object.entries(translated)) {
    it(name, async () => {
      const { plan, expected, actual, optimized } = await compareWithDuckDB(db, query);
      expect(actual).toEqual(expected);
      expect(optimized).toEqual(expected);
      expect(opaqueReasons(plan)).toEqual([]);
    });
  }
});

describe('correlated subqueries over a restricted outer side', () => {
  it('group only the keys the outer side can match, with the same answer', async () => {
    const query = translated['correlated scalar subqueries over a restricted outer side (groups reduced to its keys; NULL keys, COUNT over no rows)']!;
    const { plan, expected, optimized } = await compareWithDuckDB(db, query);
    expect(optimized).toEqual(expected);
    expect(JSON.stringify(optimize(plan)).match(/"alias":"__reduce"/g)).toHaveLength(3);
  });
});

describe('ORDER BY', () => {
  const ordered = [
    `select k, s from t order by s nulls first, k desc nulls last`,
    `select k, s from t order by s desc, k`,
    `select origin, count(*) as c from flights group by 1 order by c desc, origin limit 5 offset 1`,
    `select origin from flights group by origin order by max(delay) desc nulls first, origin limit 8`,
    `select k, s from t union all select y, null from u order by 1 desc nulls first, 2`,
    `select distinct origin from flights order by origin desc limit 4`,
    `select s, k from t order by all desc`,
    `select k, s from t union all select y, 'u' from u order by all`,
  ];
  for (const query of ordered) {
    it(`keeps the order of: ${query}`, async () => {
      const { expectedInOrder, actualInOrder } = await compareWithDuckDB(db, query);
      expect(actualInOrder).toEqual(expectedInOrder);
    });
  }
});

describe('output column names', () => {
  const named = [
    `select k, t.s, x as "Value" from t`,
    `select K, t.S from t`,
    `select b.k, a.s from t a, t b where a.k = b.k`,
    `select k + 1, upper(s) from t`,
    `select k as a, s as A, k from t`,
    `select k, k from t`,
    `-- a comment, and a semicolon to end the statement\nselect k, sum(x) from t group by k;\n`,
    `select s.k, s.total from (select k, sum(x) as total from t group by k) s`,
    `select * from t a join t b on a.k = b.k`,
  ];
  for (const query of named) {
    it(`are DuckDB's for: ${query}`, async () => {
      const plan = await sqlToPlan(query, db.ctx);
      const described = await db.connection.runAndReadAll(`DESCRIBE SELECT * FROM (\n${query.replace(/;\s*$/, '')}\n)`);
      expect(plan.schema.fields.map((f) => f.name)).toEqual(described.getRowObjects().map((row) => String(row.column_name)));
    });
  }
});

/** Queries that fall back to an opaque node (reason given) and must still give DuckDB's answer. */
const fallbacks: [name: string, query: string, reason: RegExp][] = [
  ['recursive CTE', `with recursive r(i) as (select 1 union all select i + 1 from r where i < 5) select * from r, t where r.i = t.k`, /recursive CTE|cte/i],
  ['EXISTS under OR', `select * from t where k = 2 or exists (select 1 from u where u.k = t.k)`, /exists subquery/i],
  ['GROUPING SETS', `select origin, destination, count(*) from flights group by rollup (origin, destination)`, /ROLLUP/],
  ['correlated scalar subquery with an aggregate of unknown value over no rows', `select k, (select bool_and(y > 100) from u where u.k = t.k) as c from t`, /bool_and/],
  ['scalar subquery without a one-row guarantee', `select k, (select y from u where y = 300) as y from t`, /more than one row/],
  ['correlated scalar subquery with a non-equality correlation', `select * from t where x < (select max(y) from u where u.k >= t.k)`, /inner = outer/],
  ['COLUMNS(...)', `select columns('^k') from t`, /COLUMNS/],
  ['window function with an argument ORDER BY', `select list(s order by k desc) over (partition by k > 1) from t`, /argument ORDER BY/],
  ['scalar subquery whose only aggregate is in a nested subquery', `select k, (select (select max(y) from u) + k2.k from t k2 where k2.k = 2) as v from t`, /more than one row/],
  ['scalar subquery that unnests', `select * from t where k = (select unnest([1]))`, /more than one row/],
  ['SELECT-list alias named in WHERE', `select k * 2 as k2 from t where k2 > 2`, /SELECT-list alias/],
  ['name of both a column and a SELECT-list alias in HAVING', `select k, count(*) as x from t group by k having x > 0`, /both a column and a SELECT-list alias/],
  ['lateral FROM subquery', `select k, x.c from t, (select count(*) as c from u where u.k = t.k) x`, /lateral join/],
  ['correlation inside a FROM subquery of EXISTS', `select * from t where exists (select 1 from (select * from u where u.k = t.k) q)`, /outside its WHERE/],
  ['INTERSECT ALL', `select k from t intersect all select k from u`, /intersect all/i],
  ['table function', `select u.x, t.s from unnest([1, 2, 3]) u(x), t where u.x = t.k`, /table function unnest/],
];

describe('constructs that are not translated run as opaque nodes over distributable inputs', () => {
  for (const [name, query, reason] of fallbacks) {
    it(name, async () => {
      const { plan, expected, actual } = await compareWithDuckDB(db, query);
      expect(actual).toEqual(expected);
      const reasons = opaqueReasons(plan);
      expect(reasons.length).toBeGreaterThan(0);
      expect(reasons.join('; ')).toMatch(reason);
    });
  }

  it('binds each base table of an opaque query as a named input plan', async () => {
    const { plan } = await compareWithDuckDB(db, fallbacks[1]![1]);
    expect(plan.op).toBe('opaque');
    if (plan.op !== 'opaque') return;
    expect(Object.keys(plan.inputs).sort()).toEqual(['t', 'u']);
    expect(plan.inputs.t!.op).toBe('scan');
    expect(plan.schema.fields.map((f) => f.name)).toEqual(['k', 's', 'x']);
    expect(plan.sql).toBe(fallbacks[1]![1]);
  });

  it('keeps the translated part of a query distributable when only a FROM subquery is opaque', async () => {
    const { plan, expected, actual } = await compareWithDuckDB(db, `select s.k, count(*) from (select k from t intersect all select k from u) s join u on s.k = u.k group by s.k`);
    expect(actual).toEqual(expected);
    expect(plan.op).not.toBe('opaque');
    expect(opaqueReasons(plan)).toHaveLength(1);
  });
});
