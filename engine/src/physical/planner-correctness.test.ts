/**
 * Each physical plan, executed stage by stage with real exchanges (reference runner), gives the same
 * rows as the whole logical plan rendered as one DuckDB query.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join as joinPath, resolve } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB } from '../io/duckdb.js';
import { clusteredColumns } from '../io/clusteredColumns.js';
import { splitFiles } from '../io/splitFiles.js';
import {
  agg, aggregate, alias, as, asc, call, col, desc, distinct, field, filter, join, limit, lit, parquetSource, project,
  range, repartition, scan, schema, sort, union, windowed,
} from '../plan/plan-builders.test-util.js';
import { renderPlan } from '../plan/render.js';
import type { Expr, FileSource, JoinType, LogicalPlan } from '../plan/types.js';
import { plannerContext, type PlannerContext } from './context.js';
import { explainPhysical, planPhysical } from './planner.js';
import { runPhysical, type Row } from './reference-runner.test-util.js';
import type { PhysicalPlan } from './types.js';

const FLIGHTS = resolve(__dirname, '../../../node_modules/vega-datasets/data/flights-3m.parquet');
const AIRPORTS = resolve(__dirname, '../../../node_modules/vega-datasets/data/airports.csv');

let dir: string;
let db: { instance: DuckDBInstance; connection: DuckDBConnection };
let flights: LogicalPlan;
let airports: LogicalPlan;
let runs = 0;

async function rows(sql: string): Promise<Row[]> {
  const reader = await db.connection.runAndReadAll(sql);
  return reader.getRowObjectsJson() as Row[];
}

const canonical = (rs: Row[]) => rs.map((r) => JSON.stringify(r)).sort();

/** Plans, runs stage by stage and checks the rows equal the single-query answer; returns the plan. */
async function expectSame(plan: LogicalPlan, options: Partial<PlannerContext> & { ordered?: boolean; valuesRelation?: string } = {}): Promise<PhysicalPlan> {
  const ctx = plannerContext({ workers: 2, shufflePartitions: 3, ...options });
  const physical = await planPhysical(plan, ctx);
  const expected = await rows(renderPlan(plan, { valuesRelation: () => options.valuesRelation ?? 'missing' }));
  const actual = await runPhysical(db.connection, physical, joinPath(dir, `run-${runs++}`));
  if (options.ordered) expect(actual).toEqual(expected);
  else expect(canonical(actual)).toEqual(canonical(expected));
  expect(expected.length).toBeGreaterThan(0);
  return physical;
}

const outputs = (p: PhysicalPlan) => p.stages.map((s) => s.output.kind);

beforeAll(async () => {
  dir = mkdtempSync(joinPath(tmpdir(), 'quire-physical-'));
  db = await openDuckDB({ scratchDir: joinPath(dir, 'scratch'), threads: 1 });
  const files = [];
  for (let part = 0; part < 4; part++) {
    const path = joinPath(dir, 'flights', `part=${part}`, 'data.parquet');
    mkdirSync(joinPath(dir, 'flights', `part=${part}`), { recursive: true });
    await db.connection.run(`COPY (SELECT * FROM read_parquet('${FLIGHTS}') LIMIT 400 OFFSET ${part * 100000}) TO '${path}' (FORMAT parquet)`);
    files.push({ path, size: 8000, partitionValues: { part: String(part) } });
  }
  flights = scan(parquetSource(files, [field('part', 'INTEGER')]), schema(
    field('date', 'TIMESTAMP'), field('delay', 'BIGINT'), field('distance', 'BIGINT'), field('origin', 'VARCHAR'),
    field('destination', 'VARCHAR'), field('part', 'INTEGER'),
  ));
  const csvFiles = ['a', 'b'].map((half, i) => {
    const path = joinPath(dir, `airports-${half}.csv`);
    return { path, size: 120_000, partitionValues: {}, query: `SELECT * FROM read_csv('${AIRPORTS}') WHERE (iata < 'M') = ${i === 0}` };
  });
  for (const f of csvFiles) await db.connection.run(`COPY (${f.query}) TO '${f.path}' (HEADER, DELIMITER ',')`);
  const source: FileSource = {
    format: 'csv', paths: csvFiles.map((f) => f.path), files: csvFiles.map(({ path, size, partitionValues }) => ({ path, size, partitionValues })),
    partitionColumns: [], csv: { header: true, delimiter: ',', inferSchema: true, mode: 'failfast' },
  };
  airports = scan(source, schema(
    field('iata', 'VARCHAR'), field('name', 'VARCHAR'), field('city', 'VARCHAR'), field('state', 'VARCHAR'),
    field('country', 'VARCHAR'), field('latitude', 'DOUBLE'), field('longitude', 'DOUBLE'),
  ));
  copyFileSync(AIRPORTS, joinPath(dir, 'unused.csv'));
});

afterAll(() => {
  db?.connection.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('physical plans give the reference answer', () => {
  it('scan with hive partition filter, projection and filter', async () => {
    const s = scan((flights as Extract<LogicalPlan, { op: 'scan' }>).source, flights.schema, {
      projection: ['origin', 'delay', 'part'], filters: [call('>=', col('part'), lit(2, 'INTEGER'))],
    });
    const p = await expectSame(project(filter(s, call('>', col('delay'), lit(10, 'BIGINT'))), [col('origin'), col('part')]));
    expect(outputs(p)).toEqual(['result']);
    expect(p.stages[0]!.tasks).toHaveLength(4);
  });

  it('grouped aggregate: partial, hash exchange, final', async () => {
    const plan = aggregate(flights, [col('origin')], [
      as(agg('sum', [col('delay')]), 'total'), as(agg('count', []), 'n'), as(agg('avg', [col('distance')]), 'mean'),
      as(agg('min', [col('date')]), 'first'), as(agg('max', [col('destination')]), 'last'),
      as(agg('count', [col('delay')], { filter: call('>', col('delay'), lit(0, 'BIGINT')) }), 'late'),
      as(call('+', agg('sum', [col('distance')]), lit(1, 'INTEGER')), 'nested'),
    ]);
    const p = await expectSame(plan);
    expect(outputs(p)).toEqual(['hash', 'result']);
    expect(p.stages[0]!.description).toContain('HashAggregate(partial)');
  });

  it('global aggregate: partials gathered into one final task', async () => {
    const p = await expectSame(aggregate(flights, [], [as(agg('count', []), 'n'), as(agg('avg', [col('delay')]), 'mean')]));
    expect(outputs(p)).toEqual(['gather', 'result']);
    expect(p.stages[1]!.tasks).toHaveLength(1);
  });

  it('count(DISTINCT) shuffles raw rows; a global one runs on one worker with a reason', async () => {
    const grouped = await expectSame(aggregate(flights, [call('lower', col('origin'))], [as(agg('count', [col('destination')], { distinct: true }), 'd')]));
    expect(outputs(grouped)).toEqual(['hash', 'result']);
    expect(grouped.stages[0]!.description).toContain('grouping keys');
    const global = await expectSame(aggregate(flights, [], [as(agg('count', [col('origin')], { distinct: true }), 'd')]));
    expect(global.stages.at(-1)!.singleWorkerReason).toMatch(/cannot be combined/);
  });

  const joinTypes: JoinType[] = ['inner', 'left', 'right', 'full', 'semi', 'anti'];
  for (const type of joinTypes) {
    it(`${type} join, broadcast when small and shuffled when not`, async () => {
      const f = alias(flights, 'f');
      const a = alias(airports, 'a');
      const on = call('and', call('=', col('origin', 'f'), col('iata', 'a')), call('>', col('latitude', 'a'), lit(35, 'INTEGER')));
      const joined = join(f, a, type, on);
      const out = type === 'semi' || type === 'anti'
        ? project(joined, [col('origin', 'f'), col('delay', 'f')])
        : project(joined, [col('origin', 'f'), col('delay', 'f'), col('iata', 'a'), col('city', 'a')]);
      const shuffled = await expectSame(out, { broadcastThresholdBytes: 0 });
      expect(outputs(shuffled)).toEqual(['hash', 'hash', 'result']);
      const broadcast = await expectSame(out, { broadcastThresholdBytes: 1e9, readWholeBroadcasts: false });
      if (type === 'full') expect(outputs(broadcast)).toEqual(['hash', 'hash', 'result']);
      else expect(outputs(broadcast)).toEqual(['broadcast', 'result']);
    });
  }

  for (const type of ['inner', 'left', 'semi', 'anti'] as const) {
    it(`${type} join reads a tiny Parquet side whole from its files in every task of the other side, with no exchange`, async () => {
      const a = alias(airports, 'a');
      // Filtered, projected and renamed on the way: all of it runs in each reading task.
      const f = alias(project(filter(flights, call('>', col('delay'), lit(0, 'BIGINT'))), [as(col('origin'), 'code'), col('delay')]), 'f');
      const out = type === 'semi' || type === 'anti'
        ? project(join(a, f, type, call('=', col('iata', 'a'), col('code', 'f'))), [col('iata', 'a'), col('city', 'a')])
        : project(join(a, f, type, call('=', col('iata', 'a'), col('code', 'f'))), [col('iata', 'a'), col('city', 'a'), col('delay', 'f')]);
      const p = await expectSame(out, { broadcastThresholdBytes: 1e9 });
      expect(outputs(p)).toEqual(['result']);
      const tasks = p.stages[0]!.tasks;
      expect(tasks.length).toBeGreaterThan(1);
      // Each airports task reads its own CSV split and every flights file.
      for (const task of tasks) {
        const flightFiles = task.inputs.filter((i) => i.kind === 'files' && i.format === 'parquet').flatMap((i) => (i.kind === 'files' ? i.files : []));
        expect(flightFiles).toHaveLength(4);
      }
      expect(explainPhysical(p)).toContain('read whole by every task');
    });
  }

  for (const type of ['semi', 'anti'] as const) {
    it(`${type} join on keys alone broadcasts each key once per task, NULL keys and duplicates included`, async () => {
      // Destinations repeat thousands of times and some are NULL; some airport codes are NULL too.
      const destinations = alias(project(flights, [as(call('nullif', col('destination'), lit('LAX', 'VARCHAR')), 'code')]), 'd');
      const codes = alias(project(airports, [as(call('nullif', col('iata'), lit('SFO', 'VARCHAR')), 'iata'), col('city')]), 'a');
      const plan = project(join(codes, destinations, type, call('=', col('iata', 'a'), col('code', 'd'))), [col('iata', 'a'), col('city', 'a')]);
      const p = await expectSame(plan, { broadcastThresholdBytes: 1e9, readWholeBroadcasts: false });
      expect(outputs(p)).toEqual(['broadcast', 'result']);
      expect(p.stages[0]!.tasks.length).toBeGreaterThan(1);
      expect(p.stages[0]!.description).toContain('HashAggregate(distinct join keys)');
    });
  }

  it('a large broadcast meets one streamed task per worker (the splits merged), a small one a task per split', async () => {
    const plan = project(join(alias(flights, 'f'), alias(airports, 'a'), 'semi', call('=', col('origin', 'f'), col('iata', 'a'))), [col('origin', 'f'), col('delay', 'f')]);
    const probeTasks = async (bytes: number) => {
      const p = await expectSame(plan, { broadcastThresholdBytes: 1e9, estimateBytes: () => bytes });
      expect(outputs(p)).toEqual(['broadcast', 'result']);
      return p.stages.at(-1)!.tasks.map((t) => t.inputs.flatMap((i) => (i.kind === 'files' ? i.files.map((f) => f.path) : [])).length);
    };
    // Four flight files: four tasks of one file, or two (the workers) of two files each.
    expect(await probeTasks(1024)).toEqual([1, 1, 1, 1]);
    expect(await probeTasks(64 * 1024 * 1024)).toEqual([2, 2]);
  });

  it('joins without equality keys: broadcast for inner, one worker for full', async () => {
    const small = alias(filter(airports, call('=', col('state'), lit('RI', 'VARCHAR'))), 'a');
    const f = alias(filter(flights, call('>', col('delay'), lit(60, 'BIGINT'))), 'f');
    const on = call('<', col('distance', 'f'), call('*', col('latitude', 'a'), lit(10, 'INTEGER')));
    const inner = await expectSame(project(join(f, small, 'inner', on), [col('delay', 'f'), col('iata', 'a')]), { readWholeBroadcasts: false });
    expect(outputs(inner)).toContain('broadcast');
    const full = await expectSame(project(join(f, small, 'full', on), [col('delay', 'f'), col('iata', 'a')]));
    expect(full.stages.at(-1)!.singleWorkerReason).toMatch(/without equality keys/);
  });

  it('aggregating on the join key after a shuffled join adds no exchange', async () => {
    const f = alias(flights, 'f');
    const a = alias(airports, 'a');
    const joined = join(f, a, 'inner', call('=', col('origin', 'f'), col('iata', 'a')));
    const plan = aggregate(project(joined, [col('origin', 'f'), col('delay', 'f')]), [col('origin')], [as(agg('sum', [col('delay')]), 's')]);
    const p = await expectSame(plan, { broadcastThresholdBytes: 0 });
    expect(outputs(p)).toEqual(['hash', 'hash', 'result']);
  });

  it('columns of one name from a self-join cross hash and range exchanges and stay apart', async () => {
    const side = (name: string) => alias(filter(project(airports, [col('iata'), col('state')]),
      call('in', col('state'), lit('RI', 'VARCHAR'), lit('VT', 'VARCHAR'))), name);
    const pairs = join(side('a'), side('b'), 'inner', call('=', col('state', 'a'), col('state', 'b')));
    const plan = project(sort(pairs, [asc(col('iata', 'a')), desc(col('iata', 'b'))]), [as(col('iata', 'a'), 'x'), as(col('iata', 'b'), 'y')]);
    const p = await expectSame(plan, { ordered: true, broadcastThresholdBytes: 0 });
    expect(outputs(p)).toEqual(['hash', 'hash', 'range', 'result']);
  });

  it('sort: range exchange, partitions read in order', async () => {
    const p = await expectSame(sort(project(airports, [col('iata'), col('state')]), [desc(col('state'), true), asc(col('iata'))]), { ordered: true });
    expect(p.stages[0]!.output).toMatchObject({ kind: 'range', partitions: 3 });
  });

  it('128-bit sums keep their type and digits across exchanges', async () => {
    const sums = aggregate(flights, [col('origin')], [as(agg('sum', [col('distance')]), 'total')]);
    const p = await expectSame(sort(sums, [desc(col('total')), asc(col('origin'))]), { ordered: true });
    expect(outputs(p)).toEqual(['hash', 'range', 'result']);
    expect(p.stages[1]!.schema.fields.find((f) => f.name === 'total')!.type).toBe('DECIMAL(38,0)');
    const huge = project(range(0, 4), [as(call('*', { kind: 'cast', expr: col('id'), to: 'HUGEINT' }, lit('1000000000000000000000000000001', 'HUGEINT')), 'big')], 'HUGEINT');
    await expectSame(sort(huge, [asc(col('big'))]), { ordered: true });
  });

  it('top-N over a sort and a projection; plain limit', async () => {
    const top = limit(project(sort(flights, [desc(col('delay')), asc(col('date')), asc(col('origin')), asc(col('destination')), asc(col('distance'))]), [col('delay'), col('origin')]), 7, 3);
    const p = await expectSame(top, { ordered: true });
    expect(outputs(p)).toEqual(['gather', 'result']);
    expect(p.stages[0]!.description).toContain('TopN(partial 10)');
    const plain = await planPhysical(limit(flights, 5), plannerContext({ workers: 2 }));
    const got = await runPhysical(db.connection, plain, joinPath(dir, 'plain-limit'));
    expect(got).toHaveLength(5);
  });

  it('a subplan used twice runs as one stage that both consumers read', async () => {
    const byOrigin = aggregate(flights, [col('origin')], [as(agg('sum', [col('delay')]), 'total')]);
    const top = aggregate(byOrigin, [], [as(agg('max', [col('total')]), 'best')]);
    // Origins whose total delay is the largest: byOrigin is read by the join and by its own maximum.
    const plan = project(join(alias(byOrigin, 'o'), alias(top, 't'), 'inner', call('=', col('total', 'o'), col('best', 't'))), [col('origin', 'o'), col('total', 'o')]);
    const p = await expectSame(plan);
    const partials = p.stages.filter((s) => s.description.includes('HashAggregate(partial)') && s.description.startsWith('Scan'));
    expect(partials).toHaveLength(1);
    expect(p.stages.filter((s) => s.dependsOn.includes(partials[0]!.id)).length).toBeGreaterThan(1);
  });

  it('distinct, union all, union distinct, union by name', async () => {
    const origins = project(flights, [col('origin')]);
    const d = await expectSame(distinct(origins));
    expect(outputs(d)).toEqual(['hash', 'result']);
    const states = project(airports, [as(col('state'), 'origin')]);
    const u = await expectSame(union([origins, states]));
    expect(u.stages.at(-1)!.tasks).toHaveLength(6);
    await expectSame(union([origins, states], false));
    const left = project(flights, [col('origin'), as(lit('f', 'VARCHAR'), 'src')]);
    const right = project(airports, [as(lit('a', 'VARCHAR'), 'src'), as(col('iata'), 'origin')]);
    await expectSame(union([left, right], true, true));
  });

  it('repartition by key, and dealt evenly without keys', async () => {
    const hashed = await expectSame(aggregate(repartition(flights, 5, [col('origin')]), [col('origin')], [as(agg('count', []), 'n')]));
    expect(outputs(hashed)).toEqual(['hash', 'result']);
    const dealt = await expectSame(repartition(project(flights, [col('delay')]), 2));
    expect(dealt.stages[0]!.output).toEqual({ kind: 'hash', keys: ['__row_number'], partitions: 2 });
    expect(dealt.schema.fields.map((f) => f.name)).toEqual(['delay']);
    const sizes = await rows(`SELECT hash(__row_number) % 2 AS p, count(*) AS n FROM (SELECT row_number() OVER () AS __row_number FROM range(400)) GROUP BY p`);
    expect(sizes.map((r) => Number(r.n)).every((n) => n > 150)).toBe(true);
  });

  it('window functions: hash on PARTITION BY, one worker without it', async () => {
    const byOrigin: Expr = as({ kind: 'window', fn: 'sum', args: [col('delay')], spec: { partitionBy: [col('origin')], orderBy: [] } }, 'origin_delay');
    const p = await expectSame(windowed(flights, [byOrigin]));
    expect(outputs(p)).toEqual(['hash', 'result']);
    const overall: Expr = as({ kind: 'window', fn: 'count', args: [], spec: { partitionBy: [], orderBy: [] } }, 'n');
    const single = await expectSame(windowed(project(flights, [col('origin')]), [overall]));
    expect(single.stages.at(-1)!.singleWorkerReason).toMatch(/PARTITION BY/);
  });

  it('opaque SQL runs over gathered inputs on one worker', async () => {
    const plan: LogicalPlan = {
      op: 'opaque', reason: 'correlated subquery',
      sql: 'SELECT origin, count(*) AS n FROM fl WHERE origin IN (SELECT iata FROM ap WHERE state = \'CA\') GROUP BY origin',
      inputs: { fl: flights, ap: airports }, schema: schema(field('origin', 'VARCHAR'), field('n', 'BIGINT')),
    };
    const p = await expectSame(plan);
    expect(outputs(p)).toEqual(['gather', 'gather', 'result']);
    expect(p.stages.at(-1)!.singleWorkerReason).toBe('correlated subquery');
    // The gathered input is read under the name of the stage gathering it: opaque SQL naming its own input that way shadows nothing.
    const clashing: LogicalPlan = { ...plan, sql: 'SELECT count(*) AS n FROM s0', inputs: { s0: flights }, schema: schema(field('n', 'BIGINT')) };
    const q = await expectSame(clashing);
    expect(q.stages.at(-1)!.tasks[0]!.inputs[0]!.name).toBe('_s0');
  });

  it('range in partitions, and given values', async () => {
    const p = await expectSame(aggregate(range(0, 1000, 3, 4), [call('%', col('id'), lit(7, 'INTEGER'))], [as(agg('sum', [col('id')]), 's')]));
    expect(p.stages[0]!.tasks).toHaveLength(4);
    const ipc = Buffer.from(tableToIPC(tableFromArrays({ v: Int32Array.of(3, 1, 2) }), 'stream')).toString('base64');
    await db.connection.run('CREATE OR REPLACE TEMP TABLE given AS SELECT * FROM (VALUES (3), (1), (2)) AS t(v)');
    const values: LogicalPlan = { op: 'values', arrowIpcBase64: ipc, schema: schema(field('v', 'INTEGER')), rowCount: 3 };
    const joined = join(alias(values, 'g'), alias(range(0, 5), 'r'), 'inner', call('=', col('v', 'g'), col('id', 'r')));
    await expectSame(joined, { valuesRelation: 'given' });
  });

  it('explains stages, exchanges and single-worker reasons', async () => {
    const plan = sort(aggregate(flights, [col('origin')], [as(agg('count', []), 'n')]), [desc(col('n')), asc(col('origin'))]);
    const p = await expectSame(plan, { ordered: true });
    const text = explainPhysical(p);
    expect(text).toContain('Stage 0: 4 tasks');
    expect(text).toContain('Exchange hash(origin) x3');
    expect(text).toContain('Exchange range(');
    expect(text).toContain('Stage 2 (result): 3 tasks');
  });
});

describe('tables whose files hold disjoint key ranges', () => {
  /** Parquet files of `table`, one per [lo, hi] range of k (three rows per key for `rowsPerKey` 3); `nullEvery` makes some k NULL. */
  async function clusteredTable(table: string, ranges: [number, number][], rowsPerKey: number, nullEvery = 0): Promise<LogicalPlan> {
    const files = [];
    for (const [i, [lo, hi]] of ranges.entries()) {
      const path = joinPath(dir, table, `part-${i}.parquet`);
      mkdirSync(joinPath(dir, table), { recursive: true });
      const k = nullEvery ? `CASE WHEN r % ${nullEvery} = 0 THEN NULL ELSE r END` : 'r';
      await db.connection.run(`COPY (SELECT (${k})::BIGINT AS k, (r * 7 + c) % 13 AS v FROM range(${lo}, ${hi + 1}) t(r), range(${rowsPerKey}) u(c)) `
        + `TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 100000)`);
      files.push({ path, size: 4 * 1024 * 1024 });
    }
    return scan(parquetSource(files), schema(field('k', 'BIGINT'), field('v', 'BIGINT')));
  }

  const io = () => ({ connection: db.connection, scratchDir: joinPath(dir, 'io') });
  // One split per file (one row group each).
  const withFiles = () => ({
    targetSplitBytes: 1,
    splitFiles: (source: Parameters<typeof splitFiles>[0], filters: Expr[], bytes: number) => splitFiles(source, filters, bytes, io()),
    clusteredColumns: (source: Parameters<typeof clusteredColumns>[0], splits: Parameters<typeof clusteredColumns>[1]) => clusteredColumns(source, splits, io()),
  });
  const describes = (p: PhysicalPlan) => p.stages.map((s) => s.description).join('\n');

  it('an aggregate grouped by the clustered column runs in the scan stage; a join of tables clustered alike runs task by task', async () => {
    const orders = alias(await clusteredTable('ord', [[1, 3000], [3001, 6000], [6001, 9000]], 1), 'o');
    const items = alias(await clusteredTable('item', [[1, 3000], [3001, 6000], [6001, 9000]], 3), 'i');
    const grouped = await expectSame(aggregate(items, [col('k')], [as(agg('sum', [col('v')]), 's')]), withFiles());
    expect(outputs(grouped)).toEqual(['result']);
    expect(describes(grouped)).toMatch(/HashAggregate\(complete, input clustered by its files\)/);
    expect(grouped.stages[0]!.tasks).toHaveLength(3);

    const on = call('=', col('k', 'o'), col('k', 'i'));
    for (const type of ['inner', 'left', 'right', 'full', 'semi', 'anti'] as const) {
      const kept = type === 'semi' || type === 'anti' ? [col('k', 'o'), col('v', 'o')] : [col('k', 'o'), col('v', 'i')];
      const filtered = filter(items, call('>', col('v', 'i'), lit(6, 'BIGINT')));
      const p = await expectSame(project(join(orders, type === 'anti' ? filtered : items, type, on), kept), { ...withFiles(), broadcastThresholdBytes: 0 });
      expect(describes(p), type).toMatch(/task by task: files clustered alike on k, k/);
      expect(outputs(p), type).toEqual(['result']);
    }
  });

  it('a table in fewer splits joins one in more, their tasks merged into groups that line up', async () => {
    const orders = alias(await clusteredTable('ord3', [[1, 3000], [3001, 6000]], 1), 'o');
    const items = alias(await clusteredTable('item3', [[1, 1500], [1501, 3000], [3001, 4500], [4501, 6000]], 3), 'i');
    const on = call('=', col('k', 'o'), col('k', 'i'));
    const p = await expectSame(project(join(orders, items, 'inner', on), [col('k', 'o'), col('v', 'i')]), { ...withFiles(), broadcastThresholdBytes: 0 });
    expect(describes(p)).toMatch(/task by task/);
    expect(p.stages[0]!.tasks.map((t) => t.inputs.map((i) => (i.kind === 'files' ? i.files.length : 0)))).toEqual([[1, 2], [1, 2]]);
  });

  it('ranges that do not line up, a column with NULLs, or overlapping files are joined and grouped as before', async () => {
    const orders = alias(await clusteredTable('ord2', [[1, 3000], [3001, 6000], [6001, 9000]], 1), 'o');
    const shifted = alias(await clusteredTable('item2', [[1, 4500], [4501, 7000], [7001, 9000]], 3), 'i');
    const on = call('=', col('k', 'o'), col('k', 'i'));
    const misaligned = await expectSame(project(join(orders, shifted, 'inner', on), [col('k', 'o'), col('v', 'i')]), { ...withFiles(), broadcastThresholdBytes: 0 });
    expect(describes(misaligned)).toMatch(/ShuffleHashJoin/);

    const withNulls = await clusteredTable('nulls', [[1, 3000], [3001, 6000]], 2, 7);
    const nullGroups = await expectSame(aggregate(withNulls, [col('k')], [as(agg('count', [col('v')]), 'n')]), withFiles());
    expect(describes(nullGroups)).toMatch(/HashAggregate\(partial\)/);

    const overlapping = await clusteredTable('overlap', [[1, 3000], [2000, 6000]], 2);
    const overlapGroups = await expectSame(aggregate(overlapping, [col('k')], [as(agg('count', [col('v')]), 'n')]), withFiles());
    expect(describes(overlapGroups)).toMatch(/HashAggregate\(partial\)/);
  });
});
