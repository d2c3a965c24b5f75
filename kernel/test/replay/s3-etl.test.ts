/**
 * The S3 ETL notebook replayed with `quire run --check` against a real s3rver: raw Parquet read from
 * s3:// on a two-worker cluster, partitioned Parquet written back with its commit, and read again.
 * The store is reached only through the AWS_* variables, as a user's notebook run would.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { s3Client } from '../../../engine/src/io/s3Config.js';
import { listObjects } from '../../../engine/src/io/s3Objects.js';
import type { S3Fixture } from '@quire/engine/testing';
import { QUIRE, run } from '../jupyter/jupyter-fixture.js';
import { startEtlStore } from './s3-etl-prepare.js';

const NOTEBOOK = fileURLToPath(new URL('../../../notebooks/s3-etl.ipynb', import.meta.url));
/** The bucket the notebook's parameters name. */
const BUCKET = 'quire-etl';

let store: S3Fixture;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  ({ store, env } = await startEtlStore(BUCKET));
}, 60_000);

afterAll(() => store?.stop());

it('replays the S3 ETL notebook on a cluster and its outputs match the saved ones', async () => {
  const result = await run(process.execPath, [QUIRE, 'run', NOTEBOOK, '--check', '--workers', '2'], { env });
  expect(result.stderr).toContain('outputs match');
  expect(result.stderr).toMatch(/code cell 5\/5 ok/);
  expect(result.code).toBe(0);
  const keys = (await listObjects(s3Client(store.config), BUCKET, 'curated/routes/')).map((o) => o.key);
  expect(keys).toContain('curated/routes/_SUCCESS');
  expect(keys.filter((k) => /^curated\/routes\/origin=[A-Z]{3}\/part-.*\.parquet$/.test(k)).length).toBeGreaterThan(10);
  expect(keys.some((k) => k.includes('_temporary'))).toBe(false);
}, 180_000);
