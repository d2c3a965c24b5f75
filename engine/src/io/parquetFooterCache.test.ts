import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ParquetFooterCache, footerCacheOf } from './parquetFooterCache.js';
import { parquetFooters, parquetRowGroups, type RowGroupInfo } from './parquetMetadata.js';
import { openTestDuckDB, type DuckDBFixture } from './testing/duckdbFixture.js';

let db: DuckDBFixture;
const ctx = () => ({ connection: db.connection, scratchDir: db.dir });

/** A one-column Parquet file of `rows` copies of `value`. */
async function writeConstant(name: string, value: number, rows = 100): Promise<string> {
  const path = join(db.dir, name);
  await db.connection.run(`COPY (SELECT ${value}::INTEGER AS v FROM range(${rows})) TO '${path}' (FORMAT parquet)`);
  return path;
}

const maxOf = (groups: RowGroupInfo[]) => groups[0]!.columns.find((c) => c.name === 'v')!.max;

beforeAll(async () => {
  db = await openTestDuckDB();
});
afterAll(() => db.close());

describe('the footer cache behind parquetRowGroups', () => {
  it('answers a repeated lookup of an unchanged file without reading it again', async () => {
    const path = await writeConstant('same.parquet', 1);
    const first = await parquetRowGroups(path, ctx());
    const run = vi.spyOn(db.connection, 'run');
    try {
      expect(await parquetRowGroups(path, ctx())).toBe(first);
      expect(run).not.toHaveBeenCalled();
    } finally {
      run.mockRestore();
    }
  });

  it('reads a rewritten file again', async () => {
    const path = await writeConstant('rewritten.parquet', 1);
    expect(maxOf(await parquetRowGroups(path, ctx()))).toBe('1');
    await writeConstant('rewritten.parquet', 2, 5000);
    expect(maxOf(await parquetRowGroups(path, ctx()))).toBe('2');
  });

  it('reads a file again when rewritten in place with the same size and its old modification time', async () => {
    // DuckDB's own file cache knows a file by path, size and modification time only, so it would
    // answer this rewrite with the old bytes; switched off here to test Quire's cache alone.
    await db.connection.run('SET enable_external_file_cache = false');
    const path = await writeConstant('sneaky.parquet', 3);
    const other = await writeConstant('other.parquet', 4);
    expect(statSync(other).size).toBe(statSync(path).size);
    // A whole second, so restoring it is exact at any timestamp precision.
    const stamp = new Date('2024-01-01T00:00:00Z');
    utimesSync(path, stamp, stamp);
    expect(maxOf(await parquetRowGroups(path, ctx()))).toBe('3');
    writeFileSync(path, readFileSync(other));
    utimesSync(path, stamp, stamp);
    expect(statSync(path, { bigint: true }).mtimeNs).toBe(BigInt(stamp.getTime()) * 1_000_000n);
    expect(maxOf(await parquetRowGroups(path, ctx()))).toBe('4');
    await db.connection.run('RESET enable_external_file_cache');
  });

  it('reads every uncached footer of a lookup in one DuckDB call, in the order asked', async () => {
    const paths = await Promise.all([5, 6, 7].map((v) => writeConstant(`batch-${v}.parquet`, v)));
    const run = vi.spyOn(db.connection, 'run');
    try {
      const footers = await parquetFooters([...paths, paths[0]!].map((path) => ({ path })), ctx());
      expect(footers.map(maxOf)).toEqual(['5', '6', '7', '5']);
      expect(run).toHaveBeenCalledTimes(1);
    } finally {
      run.mockRestore();
    }
  });

  it('names a missing file', async () => {
    await expect(parquetRowGroups(join(db.dir, 'absent.parquet'), ctx())).rejects.toThrow(/absent\.parquet: no such file/);
  });

  it('is one cache per connection', async () => {
    const other = await openTestDuckDB();
    try {
      expect(footerCacheOf(other.connection)).not.toBe(footerCacheOf(db.connection));
      expect(footerCacheOf(db.connection)).toBe(footerCacheOf(db.connection));
    } finally {
      other.close();
    }
  });
});

describe('ParquetFooterCache', () => {
  const groups = (columns: number): RowGroupInfo[] => [
    { index: 0, numRows: 1, bytes: 1, firstRow: 0, byteRange: [4, 5], columns: Array.from({ length: columns }, (_, i) => ({ name: `c${i}`, compressedBytes: 1 })) },
  ];

  it('drops the least recently used files past its column-chunk limit', () => {
    const cache = new ParquetFooterCache(10);
    cache.set('/a', 'v1', groups(4));
    cache.set('/b', 'v1', groups(4));
    expect(cache.get('/a', 'v1')).toBeDefined(); // /b is now the least recently used
    cache.set('/c', 'v1', groups(4));
    expect(cache.get('/b', 'v1')).toBeUndefined();
    expect(cache.get('/a', 'v1')).toBeDefined();
    expect(cache.get('/c', 'v1')).toBeDefined();
    expect(cache.size).toBe(2);
    expect(cache.columnChunks).toBe(8);
  });

  it('bounds the number of files even when they have no row groups', () => {
    const cache = new ParquetFooterCache(3);
    for (const path of ['/1', '/2', '/3', '/4', '/5']) cache.set(path, 'v', []);
    expect(cache.size).toBe(3);
  });

  it('never serves another version of a file, and forgets the stale one', () => {
    const cache = new ParquetFooterCache(10);
    cache.set('/a', 'v1', groups(2));
    expect(cache.get('/a', 'v2')).toBeUndefined();
    expect(cache.get('/a', 'v1')).toBeUndefined();
    expect(cache.columnChunks).toBe(0);
  });

  it('does not keep a footer bigger than the whole limit', () => {
    const cache = new ParquetFooterCache(10);
    cache.set('/small', 'v', groups(2));
    cache.set('/huge', 'v', groups(11));
    expect(cache.get('/huge', 'v')).toBeUndefined();
    expect(cache.get('/small', 'v')).toBeDefined();
  });

  it('rejects a limit that is not a positive whole number', () => {
    expect(() => new ParquetFooterCache(0)).toThrow(/positive whole number/);
  });
});
