/**
 * The S3 ETL notebook's store: s3rver with raw flight records uploaded as Parquet (the format the cluster
 * reads from S3). Run directly, it starts the store and prints the AWS_* variables to reach it.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDuckDB } from '../../../engine/src/io/duckdb.js';
import { s3Client } from '../../../engine/src/io/s3Config.js';
import { startS3rver, type S3Fixture } from '@quire/engine/testing';

export const RAW_FLIGHTS = fileURLToPath(new URL('../../../node_modules/vega-datasets/data/flights-2k.json', import.meta.url));

/** vega-datasets' flights-2k.json as a Parquet file. */
async function rawFlightsParquet(): Promise<Buffer> {
  const scratch = await mkdtemp(join(tmpdir(), 'quire-etl-raw-'));
  try {
    const { instance, connection } = await openDuckDB({ scratchDir: scratch });
    const file = join(scratch, 'flights-2k.parquet');
    await connection.run(`COPY (SELECT * FROM read_json('${RAW_FLIGHTS}')) TO '${file}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    return await readFile(file);
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}

/** A running s3rver whose bucket holds raw/flights-2k.parquet, and the AWS_* variables that reach it. */
export async function startEtlStore(bucket: string): Promise<{ store: S3Fixture; env: NodeJS.ProcessEnv }> {
  const store = await startS3rver(bucket);
  await s3Client(store.config).send(new PutObjectCommand({ Bucket: bucket, Key: 'raw/flights-2k.parquet', Body: await rawFlightsParquet() }));
  const env = {
    AWS_ENDPOINT_URL: store.config.endpoint,
    AWS_ACCESS_KEY_ID: store.config.accessKeyId,
    AWS_SECRET_ACCESS_KEY: store.config.secretAccessKey,
    AWS_REGION: store.config.region,
  };
  return { store, env };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { env } = await startEtlStore('quire-etl');
  process.stdout.write(Object.entries(env).map(([k, v]) => `export ${k}=${v}`).join('\n') + '\n');
}
