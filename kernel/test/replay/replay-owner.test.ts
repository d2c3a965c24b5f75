/** A replay on a shared cluster files its jobs under the notebook, so the cluster shares slots per notebook. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster } from '@quire/engine';
import { replayNotebook } from '../../src/replay/replay.js';

let dir: string;
let cluster: Cluster;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'quire-replay-owner-'));
  cluster = await startCluster({ workers: 1, scratchDir: join(dir, 'cluster'), threadsPerWorker: 1 });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
  await rm(dir, { recursive: true, force: true });
});

it('jobs of a replayed notebook carry the notebook as their owner', async () => {
  const path = join(dir, 'count.ipynb');
  const cell = { cell_type: 'code', id: 'c1', metadata: {}, execution_count: null, outputs: [], source: 'await spark.range(10).count()' };
  await writeFile(path, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [cell] }));
  const result = await replayNotebook({ notebookPath: path, cluster: cluster.url, progress: false, parameters: {}, check: false, workers: 1 });
  expect(result.failedCell).toBeUndefined();
  const jobs = await cluster.jobs();
  expect(jobs.length).toBeGreaterThan(0);
  expect(new Set(jobs.map((j) => j.owner))).toEqual(new Set([`replay ${path}`]));
}, 120_000);
