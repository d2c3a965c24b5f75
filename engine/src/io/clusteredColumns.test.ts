import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FileSource, Schema } from '../plan/types.js';
import { clusteredColumns } from './clusteredColumns.js';
import { openTestDuckDB, type DuckDBFixture } from './testing/duckdbFixture.js';

let db: DuckDBFixture;
const ctx = () => ({ connection: db.connection, scratchDir: db.dir });
const schema: Schema = { fields: [{ name: 'id', type: 'BIGINT', nullable: true }, { name: 'bucket', type: 'INTEGER', nullable: true }, { name: 'name', type: 'VARCHAR', nullable: true }] };

/** ids lo..hi in row groups of 2048 rows; `bucket` cycles 0..9 in every file; some ids NULL when `withNulls`. */
async function file(name: string, lo: number, hi: number, withNulls = false): Promise<string> {
  const path = join(db.dir, name);
  const id = withNulls ? 'CASE WHEN r % 50 = 0 THEN NULL ELSE r END' : 'r';
  await db.connection.run(`COPY (SELECT (${id})::BIGINT AS id, (r % 10)::INTEGER AS bucket, 'n' || r AS name FROM range(${lo}, ${hi + 1}) t(r)) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE 2048)`);
  return path;
}

function source(paths: string[]): FileSource & { schema: Schema } {
  return { format: 'parquet', paths, files: paths.map((path) => ({ path, size: 1000, partitionValues: {} })), partitionColumns: [], schema };
}

beforeAll(async () => {
  db = await openTestDuckDB();
});
afterAll(() => db.close());

describe('columns a scan\'s splits hold in disjoint ranges', () => {
  it('finds an id written in order, file by file and row group by row group, and not a cycling column or text', async () => {
    const [a, b] = [await file('a.parquet', 1, 6144), await file('b.parquet', 6145, 7000)];
    expect(await clusteredColumns(source([a, b]), [[{ path: a }], [{ path: b }]], ctx())).toEqual([{ column: 'id', ranges: [[[1n, 6144n]], [[6145n, 7000n]]] }]);
    const byGroups = await clusteredColumns(source([a, b]), [[{ path: a, rowGroups: [0, 1] }], [{ path: a, rowGroups: [2] }, { path: b }]], ctx());
    expect(byGroups).toEqual([{ column: 'id', ranges: [[[1n, 4096n]], [[4097n, 7000n]]] }]);
  });

  it('a split packing files that are not neighbours in key order (part-1 with part-10) holds several ranges', async () => {
    const [a, b, c] = [await file('n1.parquet', 1, 100), await file('n2.parquet', 101, 200), await file('n3.parquet', 201, 300)];
    const found = await clusteredColumns(source([a, c, b]), [[{ path: a }, { path: c }], [{ path: b }]], ctx());
    expect(found).toEqual([{ column: 'id', ranges: [[[1n, 100n], [201n, 300n]], [[101n, 200n]]] }]);
  });

  it('a split reading nothing has an empty range that meets no other', async () => {
    const a = await file('c.parquet', 1, 300);
    // With one split holding rows, every integer column is clustered.
    expect(await clusteredColumns(source([a]), [[{ path: a }], []], ctx())).toContainEqual({ column: 'id', ranges: [[[1n, 300n]], []] });
  });

  it('overlapping files, NULLs, one split or a CSV source claim nothing', async () => {
    const [a, b] = [await file('d.parquet', 1, 300), await file('e.parquet', 250, 500)];
    expect(await clusteredColumns(source([a, b]), [[{ path: a }], [{ path: b }]], ctx())).toEqual([]);
    const [n1, n2] = [await file('f.parquet', 1, 300, true), await file('g.parquet', 301, 500, true)];
    expect(await clusteredColumns(source([n1, n2]), [[{ path: n1 }], [{ path: n2 }]], ctx())).toEqual([]);
    expect(await clusteredColumns(source([a]), [[{ path: a }]], ctx())).toEqual([]);
    expect(await clusteredColumns({ ...source([a, b]), format: 'csv' }, [[{ path: a }], [{ path: b }]], ctx())).toEqual([]);
  });
});
