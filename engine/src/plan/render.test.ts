import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB } from '../io/duckdb.js';
import {
  agg, aggregate, alias, as, asc, call, col, desc, distinct, field, filter, join, limit, lit, parquetSource, project,
  range, repartition, scan, schema, sort, union, windowed,
} from './plan-builders.test-util.js';
import { quoteIdent, renderExpr, renderLiteral, renderPlan } from './render.js';
import type { Expr, FileSource, LogicalPlan } from './types.js';

const ODD = 'we"ird name';
let dir: string;
let db: { instance: DuckDBInstance; connection: DuckDBConnection };
let people: LogicalPlan;
let depts: LogicalPlan;

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const reader = await db.connection.runAndReadAll(sql);
  // JSON form keeps decimals exact; 64/128-bit integers come back as strings, which tests compare as numbers.
  const wide = new Set(reader.columnNames().filter((_, i) => /INT/.test(String(reader.columnTypes()[i]))));
  return reader.getRowObjectsJson().map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, wide.has(k) && typeof v === 'string' ? Number(v) : v])),
  );
}
const run = (plan: LogicalPlan) => rows(renderPlan(plan));
const value = async (e: Expr) => (await rows(`SELECT ${renderExpr(e)} AS v`))[0]!.v;

beforeAll(async () => {
  dir = mkdtempSync(joinPath(tmpdir(), 'quire-render-'));
  db = await openDuckDB({ scratchDir: joinPath(dir, 'scratch'), threads: 1 });
  for (const dept of ['a', 'b']) mkdirSync(joinPath(dir, 'people', `dept=${dept}`), { recursive: true });
  await db.connection.run(`
    COPY (SELECT * FROM (VALUES
      (1, 'O''Brien', 10.50::DECIMAL(10,2), DATE '2024-01-31', 1),
      (2, NULL, 20.25::DECIMAL(10,2), DATE '2024-02-29', 2),
      (3, 'Zoë', NULL, NULL, 1)) AS t(id, ${quoteIdent(ODD)}, amount, born, dept_id))
    TO '${dir}/people/dept=a/part0.parquet' (FORMAT parquet)`);
  await db.connection.run(`
    COPY (SELECT * FROM (VALUES (4, 'x', 5.00::DECIMAL(10,2), DATE '2023-12-01', 3), (5, 'y', 7.75::DECIMAL(10,2), DATE '2020-06-15', NULL))
      AS t(id, ${quoteIdent(ODD)}, amount, born, dept_id))
    TO '${dir}/people/dept=b/part0.parquet' (FORMAT parquet)`);
  writeFileSync(joinPath(dir, 'depts.csv'), 'dept_id;label\n1;"Sales; East"\n2;Ops\n4;Empty\n');
  const peopleSchema = schema(
    field('id', 'INTEGER'), field(ODD, 'VARCHAR'), field('amount', 'DECIMAL(10,2)'), field('born', 'DATE'),
    field('dept_id', 'INTEGER'), field('dept', 'VARCHAR'),
  );
  people = scan(
    parquetSource(
      [{ path: `${dir}/people/dept=a/part0.parquet`, partitionValues: { dept: 'a' } }, { path: `${dir}/people/dept=b/part0.parquet`, partitionValues: { dept: 'b' } }],
      [field('dept', 'VARCHAR')],
    ),
    peopleSchema,
  );
  const csvSource: FileSource = {
    format: 'csv', paths: [`${dir}/depts.csv`], files: [{ path: `${dir}/depts.csv`, size: 40, partitionValues: {} }], partitionColumns: [],
    csv: { header: true, delimiter: ';', inferSchema: true, mode: 'failfast' },
  };
  depts = scan(csvSource, schema(field('dept_id', 'INTEGER'), field('label', 'VARCHAR')));
});

afterAll(() => {
  db?.connection.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('renderExpr', () => {
  it('quotes identifiers and string literals containing quotes', async () => {
    expect(quoteIdent('a"b')).toBe('"a""b"');
    expect(await value(lit("it's", 'VARCHAR'))).toBe("it's");
    await expect(rows(`SELECT 1 AS ${quoteIdent('x"; DROP')}`)).resolves.toEqual([{ 'x"; DROP': 1 }]);
  });

  it('renders typed literals exactly', async () => {
    expect(await value(lit('12345678901234.56', 'DECIMAL(18,2)'))).toBe('12345678901234.56');
    expect(await value(call('+', lit('2024-02-28', 'DATE'), lit(1, 'INTEGER')))).toBe('2024-02-29');
    expect(await value(lit(null, 'DATE'))).toBeNull();
    expect(await value(lit(9007199254740993, 'BIGINT'))).not.toBeNull();
    expect(renderLiteral(true, 'BOOLEAN')).toBe('TRUE');
    expect(() => renderLiteral(1, "INTEGER); DROP TABLE x; --")).toThrow(/invalid DuckDB type name/);
  });

  it('renders operators with NULL semantics of SQL', async () => {
    expect(await value(call('and', lit(null, 'BOOLEAN'), lit(false, 'BOOLEAN')))).toBe(false);
    expect(await value(call('or', lit(null, 'BOOLEAN'), lit(false, 'BOOLEAN')))).toBeNull();
    expect(await value(call('in', lit(2, 'INTEGER'), lit(1, 'INTEGER'), lit(2, 'INTEGER')))).toBe(true);
    expect(await value(call('not', call('between', lit(5, 'INTEGER'), lit(1, 'INTEGER'), lit(3, 'INTEGER'))))).toBe(true);
    expect(await value(call('is null', lit(null, 'VARCHAR')))).toBe(true);
    expect(await value(call('is not null', lit(null, 'VARCHAR')))).toBe(false);
    expect(await value(call('||', lit('a', 'VARCHAR'), lit('b', 'VARCHAR')))).toBe('ab');
    expect(await value(call('like', lit("O'Brien", 'VARCHAR'), lit("O'%", 'VARCHAR')))).toBe(true);
    expect(await value(call('-', call('*', lit(2, 'INTEGER'), lit(3, 'INTEGER'))))).toBe(-6);
    expect(await value(call('%', lit(7, 'INTEGER'), lit(3, 'INTEGER')))).toBe(1);
    expect(await value(call('upper', lit('x', 'VARCHAR')))).toBe('X');
    expect(() => renderExpr(call('between', lit(1, 'INTEGER')))).toThrow(/takes 3 argument/);
    expect(() => renderExpr(call('drop table', lit(1, 'INTEGER')))).toThrow(/invalid function name/);
  });

  it('renders CASE, CAST and opaque SQL', async () => {
    const e: Expr = {
      kind: 'case',
      branches: [{ when: call('>', lit(3, 'INTEGER'), lit(2, 'INTEGER')), then: lit('big', 'VARCHAR') }],
      otherwise: lit('small', 'VARCHAR'),
    };
    expect(await value(e)).toBe('big');
    expect(await value({ kind: 'cast', expr: lit('42', 'VARCHAR'), to: 'INTEGER' })).toBe(42);
    expect(await value(call('*', { kind: 'sql', text: '1 + 1', refs: [] }, lit(3, 'INTEGER')))).toBe(6);
  });
});

describe('renderPlan', () => {
  it('scans parquet with hive partition values, odd column names, decimals, dates and NULLs', async () => {
    const result = await run(sort(people, [asc(col('id'))]));
    expect(result).toHaveLength(5);
    expect(result[0]).toEqual({ id: 1, [ODD]: "O'Brien", amount: '10.50', born: '2024-01-31', dept_id: 1, dept: 'a' });
    expect(result[2]).toMatchObject({ [ODD]: 'Zoë', amount: null, born: null });
    expect(result[4]).toMatchObject({ dept: 'b', dept_id: null });
  });

  it('pushes projection and filters into the scan, including filters on partition columns', async () => {
    const s = scan((people as Extract<LogicalPlan, { op: 'scan' }>).source, people.schema, {
      projection: ['id', 'dept'],
      filters: [call('=', col('dept'), lit('b', 'VARCHAR'))],
    });
    expect(await run(sort(s, [asc(col('id'))]))).toEqual([{ id: 4, dept: 'b' }, { id: 5, dept: 'b' }]);
  });

  it('reads CSV with a custom delimiter and quoted fields', async () => {
    expect(await run(sort(depts, [asc(col('dept_id'))]))).toEqual([
      { dept_id: 1, label: 'Sales; East' }, { dept_id: 2, label: 'Ops' }, { dept_id: 4, label: 'Empty' },
    ]);
  });

  it('projects and filters with computed names', async () => {
    const plan = project(filter(people, call('>', col('amount'), lit('9.99', 'DECIMAL(10,2)'))), [
      col('id'), as(call('*', col('amount'), lit(2, 'INTEGER')), 'double amount'), col(ODD),
    ]);
    expect(await run(sort(plan, [asc(col('id'))]))).toEqual([
      { id: 1, 'double amount': '21.00', [ODD]: "O'Brien" },
      { id: 2, 'double amount': '40.50', [ODD]: null },
    ]);
  });

  it('aggregates with DISTINCT and FILTER, and sorts on aggregate output', async () => {
    const plan = sort(
      aggregate(people, [col('dept')], [
        as(agg('count', []), 'n'),
        as(agg('count', [col('dept_id')], { distinct: true }), 'depts'),
        as(agg('sum', [col('amount')], { filter: call('>', col('id'), lit(1, 'INTEGER')) }), 'late_amount'),
      ]),
      [desc(col('dept'))],
    );
    expect(await run(plan)).toEqual([
      { dept: 'b', n: 2, depts: 1, late_amount: '12.75' },
      { dept: 'a', n: 3, depts: 2, late_amount: '20.25' },
    ]);
  });

  it('joins aliased relations of every join type with qualified columns', async () => {
    const p = alias(people, 'p');
    const d = alias(depts, 'd');
    const on = call('=', col('dept_id', 'p'), col('dept_id', 'd'));
    const ids = async (type: 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti') => {
      const joined = join(p, d, type, on);
      const out = type === 'semi' || type === 'anti'
        ? project(joined, [col('id', 'p')])
        : project(joined, [col('id', 'p'), col('label', 'd')]);
      const keys = type === 'semi' || type === 'anti' ? [asc(col('id'))] : [asc(col('id')), asc(col('label'))];
      return (await run(sort(out, keys))).map((r) => `${r.id}:${r.label ?? ''}`);
    };
    expect(await ids('inner')).toEqual(['1:Sales; East', '2:Ops', '3:Sales; East']);
    expect(await ids('left')).toEqual(['1:Sales; East', '2:Ops', '3:Sales; East', '4:', '5:']);
    expect(await ids('right')).toEqual(['1:Sales; East', '2:Ops', '3:Sales; East', 'null:Empty']);
    expect(await ids('full')).toHaveLength(6);
    expect(await ids('semi')).toEqual(['1:', '2:', '3:']);
    expect(await ids('anti')).toEqual(['4:', '5:']);
    expect(await run(aggregate(join(p, d, 'cross'), [], [as(agg('count', []), 'n')]))).toEqual([{ n: 15 }]);
  });

  it('runs the joins below a semi or anti join first, as a subquery, keeping their qualified columns', async () => {
    const a = alias(range(0, 6), 'a');
    const b = alias(range(0, 6), 'b');
    const c = alias(range(2, 4), 'c');
    const ab = join(a, b, 'inner', call('=', col('id', 'a'), col('id', 'b')));
    for (const type of ['semi', 'anti'] as const) {
      // The condition reads both inner sides by their qualified names.
      const filtered = join(ab, c, type, call('=', col('id', 'c'), call('+', col('id', 'a'), call('-', col('id', 'b'), col('id', 'a')))));
      const sql = renderPlan(project(filtered, [as(col('id', 'b'), 'x')]));
      expect(sql).toMatch(/FROM \(SELECT .* JOIN .*\) AS "t\d+" (SEMI|ANTI) JOIN/);
      const xs = (await run(sort(project(filtered, [as(col('id', 'b'), 'x')]), [asc(col('x'))]))).map((r) => Number(r.x));
      expect(xs).toEqual(type === 'semi' ? [2, 3] : [0, 1, 4, 5]);
    }
  });

  it('computes the joins it is told to first, as a materialized subquery, with the same rows', async () => {
    const a = alias(range(0, 5), 'a');
    const b = alias(range(0, 5), 'b');
    const c = alias(range(1, 4), 'c');
    const ab = join(a, b, 'inner', call('=', col('id', 'a'), col('id', 'b')));
    const plan = sort(project(join(ab, c, 'inner', call('=', col('id', 'c'), col('id', 'b'))), [as(col('id', 'a'), 'x')]), [asc(col('x'))]);
    const sql = renderPlan(plan, { materializeFirst: (node) => node === ab });
    expect(sql).toMatch(/\(WITH "__m\d+" AS MATERIALIZED \(SELECT .* JOIN .*\) SELECT \* FROM "__m\d+"\) AS "t\d+" JOIN/);
    expect(await rows(sql)).toEqual([{ x: 1 }, { x: 2 }, { x: 3 }]);
    expect(await rows(sql)).toEqual(await run(plan));
  });

  it('refuses a join whose sides share a name instead of emitting a duplicate alias', () => {
    expect(() => renderPlan(join(alias(range(0, 2), 'x'), alias(range(0, 2), 'x'), 'inner', call('=', col('id'), col('id'))))).toThrow(/both sides of the inner join are named 'x'/);
  });

  it('joins three relations (nested joins on both sides)', async () => {
    const a = alias(range(0, 5), 'a');
    const b = alias(range(0, 5), 'b');
    const c = alias(range(0, 5), 'c');
    const bc = join(b, c, 'inner', call('=', col('id', 'b'), col('id', 'c')));
    const plan = join(a, bc, 'inner', call('=', col('id', 'a'), call('+', col('id', 'b'), lit(1, 'INTEGER'))));
    const out = project(plan, [as(col('id', 'a'), 'x'), as(col('id', 'c'), 'y')]);
    expect(await run(sort(out, [asc(col('x'))]))).toEqual([1, 2, 3, 4].map((x) => ({ x, y: x - 1 })));
  });

  it('limits with offset, distinct, union (all, distinct, by name) and repartition', async () => {
    const ids = project(people, [col('dept')]);
    expect(await run(sort(distinct(ids), [asc(col('dept'))]))).toEqual([{ dept: 'a' }, { dept: 'b' }]);
    expect(await run(limit(sort(people, [desc(col('id'))]), 2, 1))).toMatchObject([{ id: 4 }, { id: 3 }]);
    const r = range(0, 3);
    expect(await run(aggregate(union([r, r]), [], [as(agg('count', []), 'n')]))).toEqual([{ n: 6 }]);
    expect(await run(aggregate(union([r, r], false), [], [as(agg('count', []), 'n')]))).toEqual([{ n: 3 }]);
    const swapped = project(r, [as(lit('x', 'VARCHAR'), 'tag'), col('id')]);
    const tagged = project(r, [col('id'), as(lit('y', 'VARCHAR'), 'tag')]);
    const byName = await run(sort(union([tagged, swapped], true, true), [asc(col('tag')), asc(col('id'))]));
    expect(byName[0]).toEqual({ id: 0, tag: 'x' });
    expect(await run(aggregate(repartition(r, 4, [col('id')]), [], [as(agg('sum', [col('id')]), 's')]))).toEqual([{ s: 3 }]);
  });

  it('computes window functions with partition, order and frame', async () => {
    const running: Expr = as({
      kind: 'window', fn: 'sum', args: [col('id')],
      spec: { partitionBy: [col('dept')], orderBy: [asc(col('id'))], frame: 'ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW' },
    }, 'running');
    const rank: Expr = as({ kind: 'window', fn: 'row_number', args: [], spec: { partitionBy: [], orderBy: [desc(col('id'))] } }, 'rn');
    const plan = sort(project(windowed(people, [running, rank]), [col('id'), col('running'), col('rn')]), [asc(col('id'))]);
    expect(await run(plan)).toEqual([
      { id: 1, running: 1, rn: 5 }, { id: 2, running: 3, rn: 4 }, { id: 3, running: 6, rn: 3 },
      { id: 4, running: 4, rn: 2 }, { id: 5, running: 9, rn: 1 },
    ]);
  });

  it('binds opaque inputs as CTEs and values through the caller hook', async () => {
    await db.connection.run('CREATE TEMP TABLE given AS SELECT * FROM (VALUES (1), (2)) AS t(v)');
    const values: LogicalPlan = { op: 'values', arrowIpcBase64: '', schema: schema(field('v', 'INTEGER')), rowCount: 2 };
    const opaque: LogicalPlan = {
      op: 'opaque', sql: 'WITH x AS (SELECT v FROM vs) SELECT sum(v) AS total, (SELECT count(*) FROM ppl) AS people FROM x',
      inputs: { vs: values, ppl: people }, reason: 'test', schema: schema(field('total', 'HUGEINT'), field('people', 'BIGINT')),
    };
    expect(await rows(renderPlan(opaque, { valuesRelation: () => 'given' }))).toEqual([{ total: 3, people: 5 }]);
    expect(() => renderPlan(values)).toThrow(/valuesRelation/);
  });

  it('substitutes named relations for subtrees', async () => {
    await db.connection.run('CREATE TEMP TABLE in0 AS SELECT 7 AS id');
    const sub = range(0, 100);
    expect(await rows(renderPlan(project(sub, [col('id')]), { relationFor: (n) => (n === sub ? 'in0' : undefined) }))).toEqual([{ id: 7 }]);
  });
});
