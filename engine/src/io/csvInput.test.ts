import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MalformedRows } from './csvInput.js';
import { prepareInput, type FilesInput } from './prepareInput.js';
import { resolveSource } from './resolveSource.js';
import { openTestDuckDB, type DuckDBFixture } from './testing/duckdbFixture.js';

let db: DuckDBFixture;
let good: string;
let bad: string;

beforeAll(async () => {
  db = await openTestDuckDB();
  good = join(db.dir, 'good.csv');
  bad = join(db.dir, 'bad.csv');
  writeFileSync(good, 'id,amount\n1,10\n2,20\n3,30\n');
  writeFileSync(bad, 'id,amount\n4,40\n5,not-a-number\n6\n7,70\n');
});

afterAll(() => db.close());

async function csvInput(mode: 'failfast' | 'permissive'): Promise<FilesInput> {
  const source = await resolveSource(good, 'csv', {}, db.connection);
  return {
    kind: 'files',
    name: 'sales',
    format: 'csv',
    files: [{ path: good }, { path: bad }],
    schema: source.schema,
    csv: { ...source.csv!, mode },
  };
}

describe('malformed CSV rows', () => {
  it("fail in 'failfast' mode with the file and line", async () => {
    await expect(prepareInput(await csvInput('failfast'), { connection: db.connection, scratchDir: db.dir })).rejects.toThrow(
      `malformed CSV row in ${bad} at line 3: Error when converting column "amount"`,
    );
  });

  it("are dropped and counted in 'permissive' mode", async () => {
    const reports: MalformedRows[] = [];
    const relation = await prepareInput(await csvInput('permissive'), {
      connection: db.connection,
      scratchDir: db.dir,
      onMalformedRows: (rows) => reports.push(rows),
    });
    expect(await db.query(`SELECT id::INT AS id, amount::INT AS amount FROM ${relation} ORDER BY id`)).toEqual([
      { id: 1, amount: 10 },
      { id: 2, amount: 20 },
      { id: 3, amount: 30 },
      { id: 4, amount: 40 },
      { id: 7, amount: 70 },
    ]);
    expect(reports).toEqual([{ file: bad, count: 2, firstLine: 3, firstError: expect.stringContaining('not-a-number') }]);
  });

  it('are found in columns the query does not read: a count drops them, failfast still fails', async () => {
    const reports: MalformedRows[] = [];
    const counted = await prepareInput({ ...(await csvInput('permissive')), columns: [] }, {
      connection: db.connection,
      scratchDir: db.dir,
      onMalformedRows: (rows) => reports.push(rows),
    });
    expect(await db.query(`SELECT count(*)::INT AS n FROM ${counted}`)).toEqual([{ n: 5 }]);
    expect(reports).toEqual([{ file: bad, count: 2, firstLine: 3, firstError: expect.stringContaining('not-a-number') }]);
    await expect(prepareInput({ ...(await csvInput('failfast')), columns: ['id'] }, { connection: db.connection, scratchDir: db.dir }))
      .rejects.toThrow(`malformed CSV row in ${bad} at line 3`);
  });

  it('apply the pushed filter and projection', async () => {
    const input = { ...(await csvInput('permissive')), columns: ['amount'], filterSql: 'amount > 15' };
    const relation = await prepareInput(input, { connection: db.connection, scratchDir: db.dir });
    expect(await db.query(`SELECT sum(amount)::INT AS total FROM ${relation}`)).toEqual([{ total: 160 }]);
  });
});
