import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB } from '../io/duckdb.js';
import { estimatePlanBytes, type ScanNode } from '../physical/estimate.js';
import { parquetScanBytes } from './scan-sizes.js';

let dir: string;
let db: { instance: DuckDBInstance; connection: DuckDBConnection };
let file: string;

const scan = (columns: string[], path = file): ScanNode => ({
  op: 'scan',
  source: { format: 'parquet', paths: [path], files: [{ path, size: statSync(path).size, partitionValues: {} }], partitionColumns: [] },
  schema: { fields: columns.map((name) => ({ name, type: 'VARCHAR', nullable: true })) },
  projection: columns,
  filters: [],
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'quire-scan-sizes-'));
  db = await openDuckDB({ scratchDir: join(dir, 'duckdb'), threads: 1 });
  file = join(dir, 't.parquet');
  // A wide random text column and a tiny constant one.
  await db.connection.run(`COPY (SELECT md5(i::VARCHAR) || md5((i * 7)::VARCHAR) AS wide, 1 AS narrow FROM range(50000) t(i)) TO '${file}' (FORMAT parquet)`);
});
const io = () => ({ connection: db.connection, scratchDir: dir });

afterAll(() => {
  db.connection.closeSync();
  db.instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('parquetScanBytes', () => {
  it('counts only the columns a scan reads, from the footers', async () => {
    const narrow = scan(['narrow']);
    const both = scan(['wide', 'narrow']);
    const known = await parquetScanBytes({ op: 'union', inputs: [narrow, both], all: true, byName: false, schema: narrow.schema }, io());
    const narrowBytes = known(narrow)!;
    const bothBytes = known(both)!;
    expect(narrowBytes).toBeGreaterThan(0);
    expect(narrowBytes * 100).toBeLessThan(bothBytes);
    expect(bothBytes).toBeLessThanOrEqual(statSync(file).size);
    // Without them, a scan pruned to one column is counted as the whole file.
    expect(estimatePlanBytes(narrow)).toBe(statSync(file).size);
    expect(estimatePlanBytes(narrow, known)).toBe(narrowBytes);
  });

  it('knows nothing of scans it was not asked about', async () => {
    const known = await parquetScanBytes(scan(['wide']), io());
    expect(known(scan(['narrow']))).toBeUndefined();
  });

  it('sizes a file rewritten since the last plan from its new footer', async () => {
    const rewritten = join(dir, 'rewritten.parquet');
    await db.connection.run(`COPY (SELECT 1 AS wide FROM range(10)) TO '${rewritten}' (FORMAT parquet)`);
    const before = (await parquetScanBytes(scan(['wide'], rewritten), io()))(scan(['wide'], rewritten))!;
    await db.connection.run(`COPY (SELECT md5(i::VARCHAR) AS wide FROM range(20000) t(i)) TO '${rewritten}' (FORMAT parquet)`);
    const after = (await parquetScanBytes(scan(['wide'], rewritten), io()))(scan(['wide'], rewritten))!;
    expect(after).toBeGreaterThan(before * 100);
  });
});
