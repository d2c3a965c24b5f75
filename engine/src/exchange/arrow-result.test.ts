/** DuckDB results become Arrow IPC with faithful types, and user rows load back into DuckDB unchanged. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { makeVector, tableFromArrays, tableFromIPC, tableToIPC, Type } from 'apache-arrow';
import { openDuckDB } from '../io/duckdb.js';
import { DUCKDB_TYPE_METADATA_KEY, columnConverter, decimalCellToBigInt } from './arrow-columns.js';
import { writeQueryAsArrowIpc } from './arrow-result.js';
import { loadValuesInput } from './values-input.js';

const QUERY = `SELECT * FROM (VALUES
  (1::INTEGER, 9007199254740993::BIGINT, 1.5::DOUBLE, -12345678901234.56::DECIMAL(16,2), 'héllo'::VARCHAR, true, DATE '2024-02-29', TIMESTAMP '2024-02-29 12:34:56.789012', INTERVAL 3 DAY, 5::TINYINT),
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
  (-7, -1, -0.25, 0.01, '', false, DATE '1969-12-31', TIMESTAMP '1969-12-31 23:59:59.999999', INTERVAL 1 MONTH, -5)
) t(i, big, d, dec, s, b, dt, ts, iv, tiny)`;

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

test('query results keep their types in Arrow IPC', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quire-arrow-'));
  dirs.push(dir);
  const { connection } = await openDuckDB({ scratchDir: dir, threads: 1 });
  const file = join(dir, 'out.arrow');
  expect(await writeQueryAsArrowIpc(connection, QUERY, file)).toEqual({ rows: 3 });
  const table = tableFromIPC(readFileSync(file));
  const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, [Type[f.type.typeId], f.metadata.get(DUCKDB_TYPE_METADATA_KEY)]]));
  expect(types).toEqual({
    i: ['Int', 'INTEGER'], big: ['Int', 'BIGINT'], d: ['Float', 'DOUBLE'], dec: ['Decimal', 'DECIMAL(16,2)'], s: ['Utf8', 'VARCHAR'],
    b: ['Bool', 'BOOLEAN'], dt: ['Date', 'DATE'], ts: ['Timestamp', 'TIMESTAMP'], iv: ['Utf8', 'INTERVAL'], tiny: ['Int', 'TINYINT'],
  });
  const row = (i: number) => table.get(i)!.toJSON();
  expect(row(0).i).toBe(1);
  expect(row(0).big).toBe(9007199254740993n);
  expect(row(0).d).toBe(1.5);
  expect(decimalCellToBigInt(row(0).dec as Uint32Array)).toBe(-1234567890123456n);
  expect(decimalCellToBigInt(row(2).dec as Uint32Array)).toBe(1n);
  expect(row(0).s).toBe('héllo');
  expect(row(0).b).toBe(true);
  expect(row(0).dt).toBe(Date.UTC(2024, 1, 29));
  expect(table.getChild('ts')!.data[0]!.values[0]).toBe(1709210096789012n);
  expect(row(0).iv).toBe('3 days');
  expect(Object.values(row(1)).every((v) => v === null)).toBe(true);
  expect(row(2).dt).toBe(Date.UTC(1969, 11, 31));
  expect(row(2).tiny).toBe(-5);

  // The same Arrow bytes as a `values` input load back to identical rows.
  await loadValuesInput(connection, {
    kind: 'values',
    name: 'back',
    arrowIpcBase64: Buffer.from(tableToIPC(table, 'stream')).toString('base64'),
    schema: { fields: table.schema.fields.map((f) => ({ name: f.name, type: f.metadata.get(DUCKDB_TYPE_METADATA_KEY)!, nullable: true })) },
  });
  const diff = await connection.runAndReadAll(`SELECT count(*) FROM ((SELECT * FROM back EXCEPT ALL ${QUERY}) UNION ALL (${QUERY} EXCEPT ALL SELECT * FROM back))`);
  expect(diff.getRowsJS()).toEqual([[0n]]);
});

test('an empty result still carries its schema', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quire-arrow-'));
  dirs.push(dir);
  const { connection } = await openDuckDB({ scratchDir: dir, threads: 1 });
  const file = join(dir, 'empty.arrow');
  await writeQueryAsArrowIpc(connection, 'SELECT 1::BIGINT AS x WHERE false', file);
  const table = tableFromIPC(readFileSync(file));
  expect(table.numRows).toBe(0);
  expect(table.schema.fields.map((f) => f.name)).toEqual(['x']);
});

test('a values input with a nested column is refused by name', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quire-arrow-'));
  dirs.push(dir);
  const { connection } = await openDuckDB({ scratchDir: dir, threads: 1 });
  const table = tableFromArrays({ tags: [[1, 2], [3]] as unknown as Float64Array });
  const input = {
    kind: 'values' as const,
    name: 'nested',
    arrowIpcBase64: Buffer.from(tableToIPC(table, 'stream')).toString('base64'),
    schema: { fields: [{ name: 'tags', type: 'DOUBLE[]', nullable: true }] },
  };
  await expect(loadValuesInput(connection, input)).rejects.toThrow(/values input 'nested': column 'tags' has Arrow type List/);
});

test("reading DuckDB's buffers gives the Arrow data reading every value does: every stored width, nulls, long text, constants, several chunks", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quire-arrow-'));
  dirs.push(dir);
  const { connection } = await openDuckDB({ scratchDir: dir, threads: 1 });
  const result = await connection.stream(`SELECT
      CASE WHEN i % 7 = 0 THEN NULL ELSE i::INTEGER - 2000 END AS i32,
      (i * 1000003 - 4000000000)::BIGINT AS i64, (i % 200 - 100)::TINYINT AS i8, (i * 3)::USMALLINT AS u16,
      i / 3.0 AS dbl, DATE '2024-01-01' + (i - 1500)::INTEGER AS dt, TIMESTAMP '2024-01-01' + INTERVAL (i) SECOND AS ts,
      ((i - 1500) / 100)::DECIMAL(4,2) AS dec16, ((i - 1500) * 1.5)::DECIMAL(9,1) AS dec32,
      CASE WHEN i % 5 = 0 THEN NULL ELSE ((i - 1500) * 123456789.25)::DECIMAL(18,2) END AS dec64,
      ((i - 1500) * 12345678901234567890.5)::DECIMAL(38,1) AS dec128,
      CASE WHEN i % 3 = 0 THEN NULL WHEN i % 3 = 1 THEN 'short ' || i ELSE 'a string longer than twelve bytes, é ' || i END AS text,
      'constant' AS k, 42 AS c
    FROM range(3000) t(i)`);
  const converters = result.deduplicatedColumnNames().map((name, i) => columnConverter(name, result.columnType(i)));
  let chunks = 0;
  for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
    chunks++;
    converters.forEach((converter, i) => {
      const raw = makeVector(converter.fromChunk(chunk, i));
      const values = makeVector(converter.toData(chunk.getColumnValues(i)));
      expect(raw.nullCount, converter.field.name).toBe(values.nullCount);
      expect([...raw].map(cellText), converter.field.name).toEqual([...values].map(cellText));
    });
  }
  expect(chunks).toBeGreaterThan(1);
});

function cellText(value: unknown): string {
  return value instanceof Uint32Array ? decimalCellToBigInt(value).toString() : String(value);
}

test('long strings from many places in memory arrive intact: computed, repeated, constant, null, multi-byte', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'quire-arrow-'));
  dirs.push(dir);
  const { connection } = await openDuckDB({ scratchDir: dir, threads: 2 });
  // Strings of 0 to 60 bytes (inline up to 12, else behind a pointer), in chunks of 2048 rows, some sharing one pointer.
  const query = `SELECT i, CASE
      WHEN i % 7 = 0 THEN NULL
      WHEN i % 5 = 0 THEN 'the same constant string, longer than twelve bytes'
      WHEN i % 3 = 0 THEN 'ünïcödé ' || repeat('é', (i % 9)::INTEGER) || i
      ELSE repeat(chr((97 + i % 26)::INTEGER), (i % 50)::INTEGER) || '#' || i
    END AS s FROM range(10000) t(i) ORDER BY hash(i)`;
  const file = join(dir, 'strings.arrow');
  await writeQueryAsArrowIpc(connection, query, file);
  const table = tableFromIPC(readFileSync(file));
  const expected = (await connection.runAndReadAll(query)).getRowsJS().map(([i, s]) => [Number(i), s]);
  const ids = table.getChild('i')!.toArray() as BigInt64Array;
  const strings = table.getChild('s')!;
  const got = Array.from({ length: table.numRows }, (_, r) => [Number(ids[r]), strings.get(r)]);
  const byId = (rows: unknown[][]) => [...rows].sort((a, b) => (a[0] as number) - (b[0] as number));
  expect(byId(got)).toEqual(byId(expected));
  expect(got.filter(([, s]) => s === null)).toHaveLength(Math.ceil(10000 / 7));
});
