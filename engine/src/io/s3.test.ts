import { randomBytes } from 'node:crypto';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { abortWrite, commitWrite, stagingLocation } from './commitWrite.js';
import { parquetRowGroups } from './parquetMetadata.js';
import { prepareInput } from './prepareInput.js';
import { resolveSource } from './resolveSource.js';
import { s3Client } from './s3Config.js';
import { listObjects, putObject, uploadFile } from './s3Objects.js';
import { splitFiles } from './splitFiles.js';
import { openTestDuckDB, type DuckDBFixture } from './testing/duckdbFixture.js';
import { startS3rver, type S3Fixture } from './testing/s3rverFixture.js';

let s3: S3Fixture;
let db: DuckDBFixture;
let localParquet: string;
let objectBytes: number;
/** Bytes of object data returned by GetObject calls, counted at the HTTP response. */
let fetched = 0;
let gets = 0;
/** Names of the S3 commands sent since the test began. */
let commands: string[] = [];

beforeAll(async () => {
  [s3, db] = await Promise.all([startS3rver(), openTestDuckDB()]);
  s3Client(s3.config).middlewareStack.add(
    (next, context) => async (args) => {
      const result = await next(args);
      commands.push(context.commandName as string);
      if (context.commandName === 'GetObjectCommand') {
        gets++;
        fetched += Number((result.response as { headers: Record<string, string> }).headers['content-length']);
      }
      return result;
    },
    { step: 'deserialize', name: 'countFetchedBytes' },
  );
  localParquet = join(db.dir, 'orders.parquet');
  await db.connection.run(
    `COPY (SELECT range AS id, md5(range::VARCHAR) AS note FROM range(200000)) TO '${localParquet}' (ROW_GROUP_SIZE 20480)`,
  );
  objectBytes = statSync(localParquet).size;
  const client = s3Client(s3.config);
  for (const day of ['2024-01-01', '2024-01-02']) {
    await uploadFile(client, localParquet, { bucket: s3.bucket, key: `orders/day=${day}/part-0.parquet` });
  }
  await putObject(client, { bucket: s3.bucket, key: 'orders/_SUCCESS' }, '');
  await putObject(client, { bucket: s3.bucket, key: 'orders/_temporary/job9/part-0.parquet' }, 'partial');
});

afterAll(async () => {
  db?.close();
  await s3?.stop();
});

beforeEach(() => {
  fetched = 0;
  gets = 0;
  commands = [];
});

const ctx = () => ({ connection: db.connection, scratchDir: join(db.dir, 'cache'), s3: s3.config });

describe('s3:// sources against a real s3rver', () => {
  it('lists a prefix with hive partitions and reads the schema from footers only', async () => {
    const source = await resolveSource(`s3://${s3.bucket}/orders`, 'parquet', { s3: s3.config, scratchDir: ctx().scratchDir }, db.connection);
    expect(source.files.map((f) => [f.path, f.size, f.partitionValues])).toEqual([
      [`s3://${s3.bucket}/orders/day=2024-01-01/part-0.parquet`, objectBytes, { day: '2024-01-01' }],
      [`s3://${s3.bucket}/orders/day=2024-01-02/part-0.parquet`, objectBytes, { day: '2024-01-02' }],
    ]);
    expect(source.schema.fields.map((f) => `${f.name} ${f.type}`)).toEqual(['id BIGINT', 'note VARCHAR', 'day DATE']);
    expect(objectBytes).toBeGreaterThan(5_000_000);
    expect(gets).toBe(2);
    expect(fetched).toBeLessThan(objectBytes / 20);
  });

  it('names a missing object', async () => {
    await expect(
      resolveSource(`s3://${s3.bucket}/nothing-here.parquet`, 'parquet', { s3: s3.config }, db.connection),
    ).rejects.toThrow(`no such file: s3://${s3.bucket}/nothing-here.parquet`);
  });

  it('reads row-group metadata through ranged GETs of the footer', async () => {
    const url = `s3://${s3.bucket}/orders/day=2024-01-01/part-0.parquet`;
    const remote = await parquetRowGroups(url, { ...ctx(), scratchDir: join(db.dir, 'fresh-cache') }, objectBytes);
    expect(remote).toEqual(await parquetRowGroups(localParquet, ctx()));
    expect(fetched).toBeLessThan(objectBytes / 20);
  });

  it('splits and prunes on statistics and partitions, then fetches only the chosen row groups', async () => {
    const source = await resolveSource(`s3://${s3.bucket}/orders`, 'parquet', { s3: s3.config, scratchDir: ctx().scratchDir }, db.connection);
    const filter = {
      kind: 'call' as const,
      fn: 'and',
      args: [
        { kind: 'call' as const, fn: '=', args: [{ kind: 'column' as const, name: 'day' }, { kind: 'literal' as const, value: '2024-01-02', type: 'DATE' }] },
        { kind: 'call' as const, fn: 'between', args: [{ kind: 'column' as const, name: 'id' }, { kind: 'literal' as const, value: 50000, type: 'BIGINT' }, { kind: 'literal' as const, value: 60000, type: 'BIGINT' }] },
      ],
    };
    const splits = await splitFiles(source, [filter], 1e12, ctx());
    expect(splits).toEqual([[{ path: source.files[1].path, partitionValues: { day: '2024-01-02' }, rowGroups: [2] }]]);
    fetched = 0;
    const relation = await prepareInput(
      { kind: 'files', name: 'orders', format: 'parquet', files: splits[0], schema: source.schema, filterSql: 'id BETWEEN 50000 AND 60000' },
      { ...ctx(), connection: db.connection },
    );
    expect(await db.query(`SELECT count(*)::INT AS n, min(day)::VARCHAR AS day FROM ${relation}`)).toEqual([{ n: 10001, day: '2024-01-02' }]);
    const groups = await parquetRowGroups(localParquet, ctx());
    expect(fetched).toBeLessThanOrEqual(groups[2].byteRange[1] - groups[2].byteRange[0]);
    expect(fetched).toBeLessThan(objectBytes / 5);
  });
});

describe('concurrent tasks on one S3 object', () => {
  it('fill one sparse mirror with only their row groups and read correct rows', async () => {
    const url = `s3://${s3.bucket}/orders/day=2024-01-01/part-0.parquet`;
    const scratchDir = join(db.dir, 'concurrent-cache');
    const schema = { fields: [{ name: 'id', type: 'BIGINT', nullable: true }, { name: 'note', type: 'VARCHAR', nullable: true }] };
    const relations = await Promise.all(
      [[0], [5, 6]].map((rowGroups, i) =>
        prepareInput(
          { kind: 'files', name: `t${i}`, format: 'parquet', files: [{ path: url, rowGroups }], schema, columns: ['id'] },
          { connection: db.connection, scratchDir, s3: s3.config },
        ),
      ),
    );
    const groups = await parquetRowGroups(localParquet, ctx());
    const [first] = await db.query(`SELECT count(*)::INT AS n, max(id)::INT AS hi FROM ${relations[0]}`);
    const [second] = await db.query(`SELECT count(*)::INT AS n, min(id)::INT AS lo FROM ${relations[1]}`);
    expect(first).toEqual({ n: groups[0].numRows, hi: groups[0].numRows - 1 });
    expect(second).toEqual({ n: groups[5].numRows + groups[6].numRows, lo: groups[5].firstRow });
    const mirror = readdirSync(join(scratchDir, 's3-mirror')).find((f) => f.endsWith('.parquet'))!;
    const onDisk = statSync(join(scratchDir, 's3-mirror', mirror));
    expect(onDisk.size).toBe(objectBytes);
    // Holes take no blocks: the mirror occupies about the three fetched row groups plus the footer.
    expect(onDisk.blocks * 512).toBeLessThan(objectBytes / 2);
  });
});

describe('writes to s3:// against a real s3rver', () => {
  it('uploads multipart into a temporary prefix and commits with _SUCCESS', async () => {
    const client = s3Client(s3.config);
    const big = join(db.dir, 'big.bin');
    writeFileSync(big, randomBytes(20 * 1024 * 1024));
    const target = `s3://${s3.bucket}/exports/run1`;
    const staging = stagingLocation(target, 'job1');
    await uploadFile(client, big, { bucket: s3.bucket, key: 'exports/run1/_temporary/job1/part-00000.parquet' });
    expect((await listObjects(client, s3.bucket, 'exports/run1/')).map((o) => o.key)).toEqual(['exports/run1/_temporary/job1/part-00000.parquet']);
    // 20 MiB in 8 MiB parts is a multipart upload of 3 parts.
    expect(commands.filter((c) => c === 'UploadPartCommand')).toHaveLength(3);
    expect(commands).toContain('CompleteMultipartUploadCommand');
    const committed = await commitWrite({ staging, target, mode: 'error', format: 'parquet', jobId: 'job1', s3: s3.config });
    expect(committed).toEqual([`${target}/part-00000-job1.parquet`]);
    const objects = await listObjects(client, s3.bucket, 'exports/run1/');
    expect(objects).toEqual([
      { key: 'exports/run1/_SUCCESS', size: 0 },
      { key: 'exports/run1/part-00000-job1.parquet', size: 20 * 1024 * 1024 },
    ]);
    await expect(
      commitWrite({ staging: stagingLocation(target, 'job2'), target, mode: 'error', format: 'parquet', jobId: 'job2', s3: s3.config }),
    ).rejects.toThrow(`path already exists: ${target}`);
  });

  it('leaves nothing where readers look when a job fails', async () => {
    const client = s3Client(s3.config);
    const target = `s3://${s3.bucket}/exports/failed`;
    await uploadFile(client, localParquet, { bucket: s3.bucket, key: 'exports/failed/_temporary/job3/part-00000.parquet' });
    await expect(resolveSource(target, 'parquet', { s3: s3.config }, db.connection)).rejects.toThrow('no data files in directory');
    await abortWrite(stagingLocation(target, 'job3'), s3.config);
    expect(await listObjects(client, s3.bucket, 'exports/failed/')).toEqual([]);
  });
});
