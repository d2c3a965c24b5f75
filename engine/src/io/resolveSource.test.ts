import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSource } from './resolveSource.js';
import { openTestDuckDB, type DuckDBFixture } from './testing/duckdbFixture.js';

let db: DuckDBFixture;
let root: string;

beforeAll(async () => {
  db = await openTestDuckDB();
  root = join(db.dir, 'data');
  for (const [year, month] of [[2023, 1], [2023, 2], [2024, 1]]) {
    const dir = join(root, 'sales', `year=${year}`, `month=${month}`);
    mkdirSync(dir, { recursive: true });
    await db.connection.run(
      `COPY (SELECT range AS id, 'item' || range AS item FROM range(${year + month}, ${year + month + 3})) TO '${dir}/part-0.parquet'`,
    );
  }
  writeFileSync(join(root, 'sales', '_SUCCESS'), '');
  mkdirSync(join(root, 'sales', '_temporary', 'job1'), { recursive: true });
  writeFileSync(join(root, 'sales', '_temporary', 'job1', 'part-9.parquet'), 'not parquet');
  writeFileSync(join(root, 'sales', 'year=2023', '.part-0.parquet.crc'), 'checksum');
  mkdirSync(join(root, 'mixed'), { recursive: true });
  await db.connection.run(`COPY (SELECT 1::BIGINT AS id, 'a' AS name) TO '${root}/mixed/a.parquet'`);
  await db.connection.run(`COPY (SELECT 1::BIGINT AS id, 2.5::DOUBLE AS name) TO '${root}/mixed/b.parquet'`);
  mkdirSync(join(root, 'empty', '_temporary'), { recursive: true });
  writeFileSync(join(root, 'people.csv'), 'name;age\nann;31\nbob;42\n');
});

afterAll(() => db.close());

describe('resolveSource on local files', () => {
  it('reads a hive-partitioned directory, skipping markers, staging and hidden files', async () => {
    const source = await resolveSource(join(root, 'sales'), 'parquet', {}, db.connection);
    expect(source.files.map((f) => f.path.slice(root.length))).toEqual([
      '/sales/year=2023/month=1/part-0.parquet',
      '/sales/year=2023/month=2/part-0.parquet',
      '/sales/year=2024/month=1/part-0.parquet',
    ]);
    expect(source.files[1].partitionValues).toEqual({ year: '2023', month: '2' });
    expect(source.files.every((f) => f.size > 0)).toBe(true);
    expect(source.schema.fields.map((f) => `${f.name} ${f.type}`)).toEqual(['id BIGINT', 'item VARCHAR', 'year BIGINT', 'month BIGINT']);
    expect(source.partitionColumns.map((f) => f.name)).toEqual(['year', 'month']);
  });

  it('expands globs, keeping partition values relative to the glob base', async () => {
    const source = await resolveSource(join(root, 'sales/year=2023/*/*.parquet'), 'parquet', {}, db.connection);
    expect(source.files).toHaveLength(2);
    expect(source.files[0].partitionValues).toEqual({ month: '1' });
    const recursive = await resolveSource(join(root, 'sales/**/*.parquet'), 'parquet', {}, db.connection);
    expect(recursive.files).toHaveLength(3);
  });

  it('reads CSV with the given delimiter and infers types', async () => {
    const source = await resolveSource(join(root, 'people.csv'), 'csv', { csv: { delimiter: ';' } }, db.connection);
    expect(source.schema.fields.map((f) => `${f.name} ${f.type}`)).toEqual(['name VARCHAR', 'age BIGINT']);
    expect(source.csv).toMatchObject({ header: true, delimiter: ';', mode: 'failfast' });
  });

  it('names a missing file', async () => {
    await expect(resolveSource(join(root, 'nope.parquet'), 'parquet', {}, db.connection)).rejects.toThrow(
      `no such file: ${join(root, 'nope.parquet')}`,
    );
    await expect(resolveSource(join(root, 'nope/*.parquet'), 'parquet', {}, db.connection)).rejects.toThrow('no files match');
  });

  it('names both files and the column when schemas disagree', async () => {
    await expect(resolveSource(join(root, 'mixed'), 'parquet', {}, db.connection)).rejects.toThrow(
      /schemas differ between .*mixed\/a\.parquet and .*mixed\/b\.parquet: column name is VARCHAR in the first file but DOUBLE in the second/,
    );
  });

  it('rejects a directory with no data files', async () => {
    await expect(resolveSource(join(root, 'empty'), 'parquet', {}, db.connection)).rejects.toThrow('no data files in directory');
  });
});
