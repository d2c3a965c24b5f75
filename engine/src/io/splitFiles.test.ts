import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Expr } from '../plan/types.js';
import { resolveSource } from './resolveSource.js';
import { splitFiles } from './splitFiles.js';
import { openTestDuckDB, type DuckDBFixture } from './testing/duckdbFixture.js';

let db: DuckDBFixture;
let root: string;

const col = (name: string): Expr => ({ kind: 'column', name });
const lit = (value: string | number, type: string): Expr => ({ kind: 'literal', value, type });
const call = (fn: string, ...args: Expr[]): Expr => ({ kind: 'call', fn, args });

beforeAll(async () => {
  db = await openTestDuckDB();
  root = join(db.dir, 'events');
  for (const region of ['eu', 'us']) {
    mkdirSync(join(root, `region=${region}`), { recursive: true });
    // 4 row groups of 2048 rows each, ids ascending, days ascending with the id.
    await db.connection.run(
      `COPY (SELECT range AS id, DATE '2024-01-01' + (range // 2048)::INT AS day, 'k' || (range % 7) AS k FROM range(8192))
         TO '${root}/region=${region}/part-0.parquet' (ROW_GROUP_SIZE 2048)`,
    );
  }
});

afterAll(() => db.close());

const ctx = () => ({ connection: db.connection, scratchDir: db.dir });

describe('splitFiles', () => {
  it('packs row groups into splits near the target size', async () => {
    const source = await resolveSource(root, 'parquet', {}, db.connection);
    const one = await splitFiles(source, [], 1e12, ctx());
    expect(one).toHaveLength(1);
    expect(one[0].map((f) => f.rowGroups)).toEqual([undefined, undefined]);
    const many = await splitFiles(source, [], 1, ctx());
    expect(many).toHaveLength(8);
    expect(many[5]).toEqual([{ path: source.files[1].path, partitionValues: { region: 'us' }, rowGroups: [1] }]);
  });

  it('does not cut a file that fits in a split across two splits', async () => {
    const source = await resolveSource(root, 'parquet', {}, db.connection);
    // A target of one and a half files: the second file starts a split of its own instead of filling the first.
    const fileBytes = (await db.connection.runAndReadAll(`SELECT sum(total_compressed_size) FROM parquet_metadata('${source.files[0]!.path}')`)).getRowsJS()[0]![0] as bigint;
    const target = Math.floor(Number(fileBytes) * 1.5);
    const splits = await splitFiles(source, [], target, ctx());
    expect(splits.map((split) => split.map((f) => `${f.partitionValues?.region}:${f.rowGroups ?? 'all'}`))).toEqual([['eu:all'], ['us:all']]);
  });

  it('prunes row groups whose statistics cannot match', async () => {
    const source = await resolveSource(root, 'parquet', {}, db.connection);
    const groupsOf = async (filters: Expr[]) =>
      (await splitFiles(source, filters, 1, ctx())).flat().map((f) => `${f.partitionValues?.region}:${f.rowGroups}`);
    expect(await groupsOf([call('>=', col('id'), lit(6000, 'INTEGER'))])).toEqual(['eu:2', 'eu:3', 'us:2', 'us:3']);
    expect(await groupsOf([call('<', lit(2047, 'INTEGER'), col('id'))])).toEqual(['eu:0', 'eu:1', 'eu:2', 'eu:3', 'us:0', 'us:1', 'us:2', 'us:3'].filter((g) => !g.endsWith(':0')));
    expect(await groupsOf([call('=', col('day'), { kind: 'cast', expr: lit('2024-01-02', 'VARCHAR'), to: 'DATE' })])).toEqual(['eu:1', 'us:1']);
    expect(await groupsOf([call('between', col('id'), lit(100, 'INTEGER'), lit(2100, 'INTEGER'))])).toEqual(['eu:0', 'eu:1', 'us:0', 'us:1']);
    expect(await groupsOf([call('in', col('id'), lit(5, 'INTEGER'), lit(8000, 'INTEGER'))])).toEqual(['eu:0', 'eu:3', 'us:0', 'us:3']);
    // A predicate it cannot reason about prunes nothing.
    expect(await groupsOf([call('like', col('k'), lit('k1%', 'VARCHAR'))])).toHaveLength(8);
  });

  it('prunes files by hive partition values', async () => {
    const source = await resolveSource(root, 'parquet', {}, db.connection);
    const splits = await splitFiles(source, [call('and', call('=', col('region'), lit('us', 'VARCHAR')), call('<', col('id'), lit(10, 'BIGINT')))], 1e12, ctx());
    expect(splits).toEqual([[{ path: source.files[1].path, partitionValues: { region: 'us' }, rowGroups: [0] }]]);
  });

  it('returns one empty split when everything is pruned', async () => {
    const source = await resolveSource(root, 'parquet', {}, db.connection);
    expect(await splitFiles(source, [call('=', col('region'), lit('asia', 'VARCHAR'))], 1e12, ctx())).toEqual([[]]);
  });

  it('splits CSV by whole file', async () => {
    await db.connection.run(`COPY (SELECT 1 AS a) TO '${db.dir}/csv1.csv'; COPY (SELECT 2 AS a) TO '${db.dir}/csv2.csv'`);
    const source = await resolveSource(join(db.dir, 'csv*.csv'), 'csv', {}, db.connection);
    expect((await splitFiles(source, [], 1, ctx())).map((s) => s.length)).toEqual([1, 1]);
    expect((await splitFiles(source, [], 1e9, ctx())).map((s) => s.length)).toEqual([2]);
  });
});
