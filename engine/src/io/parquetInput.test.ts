import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetRowGroups } from './parquetMetadata.js';
import { prepareInput, type FilesInput } from './prepareInput.js';
import { openTestDuckDB, type DuckDBFixture } from './testing/duckdbFixture.js';

let db: DuckDBFixture;
let original: string;
let holed: string;
const schema = { fields: [{ name: 'id', type: 'BIGINT', nullable: true }, { name: 'tag', type: 'VARCHAR', nullable: true }] };
const SELECTED = [2, 3, 6];

beforeAll(async () => {
  db = await openTestDuckDB();
  original = join(db.dir, 'big.parquet');
  holed = join(db.dir, 'holed.parquet');
  await db.connection.run(
    `COPY (SELECT range AS id, md5(range::VARCHAR) AS tag FROM range(300000)) TO '${original}' (ROW_GROUP_SIZE 30000)`,
  );
  // The same file with every byte of the unselected row groups zeroed: reading any of them fails.
  const bytes = readFileSync(original);
  const groups = await parquetRowGroups(original, { connection: db.connection, scratchDir: db.dir });
  for (const group of groups) if (!SELECTED.includes(group.index)) bytes.fill(0, group.byteRange[0], group.byteRange[1]);
  writeFileSync(holed, bytes);
});

afterAll(() => db.close());

const input = (path: string, extra: Partial<FilesInput> = {}): FilesInput => ({
  kind: 'files',
  name: 't',
  format: 'parquet',
  files: [{ path, rowGroups: SELECTED }],
  schema,
  ...extra,
});

describe('reading selected Parquet row groups', () => {
  it('describes row groups with row offsets, byte ranges and statistics', async () => {
    const groups = await parquetRowGroups(original, { connection: db.connection, scratchDir: db.dir });
    expect(groups.length).toBeGreaterThanOrEqual(9);
    expect(groups.reduce((n, g) => n + g.numRows, 0)).toBe(300000);
    expect(groups[1].firstRow).toBe(groups[0].numRows);
    expect(groups[1].byteRange[0]).toBeGreaterThanOrEqual(groups[0].byteRange[1]);
    const idStats = groups[2].columns.find((c) => c.name === 'id')!;
    expect(Number(idStats.min)).toBe(groups[2].firstRow);
    expect(Number(idStats.max)).toBe(groups[2].firstRow + groups[2].numRows - 1);
    expect(idStats.nullCount).toBe(0);
  });

  it('reads only the selected row groups: the zeroed ones are never touched', async () => {
    const groups = await parquetRowGroups(original, { connection: db.connection, scratchDir: db.dir });
    const expected = SELECTED.reduce((n, i) => n + groups[i].numRows, 0);
    const relation = await prepareInput(input(holed), { connection: db.connection, scratchDir: db.dir });
    const [row] = await db.query(`SELECT count(*) AS n, min(id) AS lo, max(id) AS hi FROM ${relation}`);
    expect(Number(row.n)).toBe(expected);
    expect(Number(row.lo)).toBe(groups[2].firstRow);
    expect(Number(row.hi)).toBe(groups[6].firstRow + groups[6].numRows - 1);
  });

  it('keeps the pruning with a pushed filter and a projection', async () => {
    const relation = await prepareInput(input(holed, { columns: ['tag'], filterSql: `tag LIKE 'a%'` }), {
      connection: db.connection,
      scratchDir: db.dir,
    });
    const fromHoled = await db.query(`SELECT count(*) AS n FROM ${relation}`);
    const groups = await parquetRowGroups(original, { connection: db.connection, scratchDir: db.dir });
    const inSelected = SELECTED.map((i) => `id BETWEEN ${groups[i].firstRow} AND ${groups[i].firstRow + groups[i].numRows - 1}`).join(' OR ');
    const truth = await db.query(
      `SELECT count(*) AS n FROM read_parquet('${original}') WHERE (${inSelected}) AND tag LIKE 'a%'`,
    );
    expect(Number(truth[0].n)).toBeGreaterThan(1000);
    expect(fromHoled).toEqual(truth);
    expect(Object.keys((await db.query(`SELECT * FROM ${relation} LIMIT 1`))[0])).toEqual(['tag']);
  });

  it('proves the holes are real: scanning the whole holed file fails', async () => {
    await expect(db.query(`SELECT count(DISTINCT tag) FROM read_parquet('${holed}')`)).rejects.toThrow();
  });

  it('adds partition values as typed columns and returns an empty typed relation for no files', async () => {
    const withPartition = {
      ...input(original),
      files: [{ path: original, rowGroups: [0], partitionValues: { day: '2024-01-05' } }],
      schema: { fields: [...schema.fields, { name: 'day', type: 'DATE', nullable: true }] },
      columns: ['id', 'day'],
    };
    const relation = await prepareInput(withPartition, { connection: db.connection, scratchDir: db.dir });
    const [row] = await db.query(`SELECT typeof(day) AS t, day::VARCHAR AS d, count(*) AS n FROM ${relation} GROUP BY ALL`);
    const groups = await parquetRowGroups(original, { connection: db.connection, scratchDir: db.dir });
    expect(row).toEqual({ t: 'DATE', d: '2024-01-05', n: String(groups[0].numRows) });
    const empty = await prepareInput({ ...input(original), files: [] }, { connection: db.connection, scratchDir: db.dir });
    expect(await db.query(`SELECT typeof(id) AS t FROM ${empty}`)).toEqual([]);
    expect(await db.query(`DESCRIBE SELECT * FROM ${empty}`)).toMatchObject([{ column_name: 'id', column_type: 'BIGINT' }, { column_name: 'tag' }]);
  });

  it('reads whole files of one partition with one scan, and files of other partitions or row groups apart', async () => {
    const second = join(db.dir, 'second.parquet');
    await db.connection.run(`COPY (SELECT range + 300000 AS id, 'x' AS tag FROM range(1000)) TO '${second}'`);
    const partitioned = { fields: [...schema.fields, { name: 'day', type: 'DATE', nullable: true }] };
    const files = [
      { path: original, partitionValues: { day: '2024-01-05' } },
      { path: second, partitionValues: { day: '2024-01-05' } },
      { path: second, partitionValues: { day: '2024-01-06' } },
      { path: original, rowGroups: [0], partitionValues: { day: '2024-01-06' } },
    ];
    const relation = await prepareInput({ ...input(original), files, schema: partitioned, columns: ['id', 'day'] }, { connection: db.connection, scratchDir: db.dir });
    expect(relation.match(/read_parquet\(/g)).toHaveLength(3);
    expect(relation).toContain(`read_parquet(['${original}', '${second}']`);
    const rows = await db.query(`SELECT day::VARCHAR AS d, count(*) AS n FROM ${relation} GROUP BY ALL ORDER BY d`);
    const groups = await parquetRowGroups(original, { connection: db.connection, scratchDir: db.dir });
    expect(rows).toEqual([{ d: '2024-01-05', n: '301000' }, { d: '2024-01-06', n: String(1000 + groups[0]!.numRows) }]);
  });
});
