/**
 * S3 settings from the standard AWS environment variables alone (no Session option) reach schema
 * resolution in the driver and every worker.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { count } from '../../src/api/functions.js';
import { Session } from '../../src/api/session.js';
import { FLIGHT_ROWS, startS3Data, type S3Data } from './s3-support.js';

const VARIABLES = ['AWS_ENDPOINT_URL_S3', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'] as const;
const saved = Object.fromEntries(VARIABLES.map((name) => [name, process.env[name]]));
let data: S3Data;
let scratch: string;
let session: Session;

beforeAll(async () => {
  data = await startS3Data();
  const { endpoint, accessKeyId, secretAccessKey, region } = data.s3.config;
  Object.assign(process.env, { AWS_ENDPOINT_URL_S3: endpoint, AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_REGION: region });
  scratch = mkdtempSync(join(tmpdir(), 'quire-s3-env-'));
  session = await Session.start({ workers: 2, scratchDir: join(scratch, 'cluster'), targetSplitBytes: 40_000 });
}, 120_000);

afterAll(async () => {
  await session?.stop();
  for (const name of VARIABLES) {
    if (saved[name] === undefined) delete process.env[name];
    else process.env[name] = saved[name];
  }
  await data?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

it('reads and writes s3:// with settings from AWS_* variables only', async () => {
  const flights = await session.read.parquet(data.remote.flights);
  expect(await flights.count()).toBe(FLIGHT_ROWS);
  const target = `s3://${data.s3.bucket}/env/origins`;
  await flights.groupBy('origin').agg(count().alias('n')).write.csv(target);
  const back = await session.read.csv(target);
  expect(await back.agg(count().alias('origins')).collect()).toEqual(await flights.select('origin').distinct().agg(count().alias('origins')).collect());
  expect(await data.keys('env/origins/_SUCCESS')).toEqual(['env/origins/_SUCCESS']);
});
