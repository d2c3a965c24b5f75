/**
 * Bad input through the Session on a two-worker cluster: every mistake gets an error that names
 * what was wrong (file, line, column, caret), dropped rows are counted and reported, constructs the
 * planner does not distribute fall back to one worker and explain() says so.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session } from '../../src/api/session.js';
import type { SessionWarning } from '../../src/api/warnings.js';
import { openDuckDB } from '../../src/io/duckdb.js';

let dir: string;
let spark: Session;
const file = (name: string) => join(dir, name);
const MEASURES = { city: 'VARCHAR', day: 'INTEGER', rain: 'DOUBLE' };

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quire-bad-input-'));
  writeFileSync(file('good.csv'), 'city,day,rain\nOslo,1,2.5\nBergen,1,7.25\nOslo,2,0.5\n');
  writeFileSync(file('bad.csv'), 'city,day,rain\nOslo,1,2.5\nBergen,1,7.25\nOslo,2,lots\nBergen,2,3.0\nOslo,3,n/a\n');
  const { instance, connection } = await openDuckDB({ scratchDir: file('duckdb'), threads: 1 });
  try {
    await connection.run(`COPY (SELECT 1::INTEGER AS id, 'a' AS name) TO '${file('ids-int.parquet')}' (FORMAT parquet)`);
    await connection.run(`COPY (SELECT 'x' AS id, 'b' AS name) TO '${file('ids-text.parquet')}' (FORMAT parquet)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  spark = await Session.start({ workers: 2, scratchDir: file('session') });
});
afterAll(async () => {
  await spark?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('files', () => {
  it('a missing file is named', async () => {
    await expect(spark.read.parquet(file('nope.parquet'))).rejects.toThrow(`no such file: ${file('nope.parquet')}`);
    await expect(spark.read.csv(file('none/*.csv'), { header: true })).rejects.toThrow(`no files match: ${file('none/*.csv')}`);
  });

  it('files whose schemas disagree are refused with the column and both types', async () => {
    await expect(spark.read.parquet([file('ids-int.parquet'), file('ids-text.parquet')])).rejects.toThrow(
      /schemas differ between .*ids-int\.parquet and .*ids-text\.parquet: column id is INTEGER in the first file but VARCHAR in the second/,
    );
  });
});

describe('malformed CSV rows', () => {
  it('fail the action by default, naming the file, the line and the value', async () => {
    const df = await spark.read.csv(file('bad.csv'), { header: true, schema: MEASURES });
    const failure = df.collect();
    await expect(failure).rejects.toThrow(`malformed CSV row in ${file('bad.csv')} at line 4`);
    await expect(failure).rejects.toThrow(/Could not convert string "lots" to 'DOUBLE'.*mode 'permissive'/);
  });

  it("are dropped in mode 'permissive' and reported as a warning with their count and first line", async () => {
    const warnings: SessionWarning[] = [];
    const df = await spark.read.csv(file('bad.csv'), { header: true, schema: MEASURES, mode: 'permissive' });
    const rows = await df.orderBy('city', 'day').collect({ onWarning: (w) => warnings.push(w) });
    expect(rows).toEqual([
      { city: 'Bergen', day: 1, rain: 7.25 },
      { city: 'Bergen', day: 2, rain: 3 },
      { city: 'Oslo', day: 1, rain: 2.5 },
    ]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.malformedRows).toEqual([{ file: file('bad.csv'), count: 2, firstLine: 4, firstError: expect.stringContaining('"lots"') }]);
    expect(warnings[0]!.message).toMatch(/dropped 2 malformed CSV rows/);
  });
});

describe('SQL', () => {
  beforeAll(async () => {
    (await spark.read.csv(file('good.csv'), { header: true })).createOrReplaceTempView('weather');
  });

  it('a syntax error gives the line, the column and a caret under the token', async () => {
    const failure = spark.sql('SELECT city,\n       rain FROM weather WHER day = 1');
    await expect(failure).rejects.toThrow(/syntax error at or near "day" at line 2, column 31/);
    const message = await failure.then(() => '', (e: Error) => e.message);
    const lines = message.split('\n');
    const caretLine = lines.findIndex((l) => /^\s*\^$/.test(l));
    expect(lines[caretLine - 1]).toContain('rain FROM weather WHER day = 1');
    // The caret sits under the first letter of the offending token.
    expect(lines[caretLine - 1]!.charAt(lines[caretLine]!.indexOf('^'))).toBe('d');
  });

  it('a construct DuckDB itself rejects keeps DuckDB’s words', async () => {
    // Refused when the query is analyzed, before any job starts.
    await expect(spark.sql('SELECT sum(city) FROM weather')).rejects.toThrow(/Binder Error: No function matches .*'sum\(VARCHAR\)'/);
  });

  it('a construct the planner does not distribute runs on one worker, and explain() says why', async () => {
    const df = await spark.sql('SELECT city, day FROM weather WHERE (city, day) IN (SELECT city, max(day) FROM weather GROUP BY city)');
    const explained = await df.explain();
    expect(explained).toMatch(/single worker: IN with a subquery of 2 columns/);
    expect(await df.orderBy('city').collect()).toEqual([{ city: 'Bergen', day: 1 }, { city: 'Oslo', day: 2 }]);
  });
});
