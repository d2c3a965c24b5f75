import { afterAll, beforeAll, expect, test } from 'vitest';
import { startCluster, type Cluster } from '../../src/cluster/index.js';
import { stage, tempDir } from './plans.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster({ workers: 2, scratchDir: tempDir('smoke'), threadsPerWorker: 1 });
});
afterAll(async () => cluster?.stop());

test('runs a one-stage plan', async () => {
  const plan = { stages: [stage(0, 'SELECT 42::BIGINT AS x', { kind: 'result' }, [[]])], resultStageId: 0, schema: { fields: [] } };
  const result = await cluster.runJob(plan);
  expect('table' in result && result.table.toArray().map((r) => r.toJSON())).toEqual([{ x: 42n }]);
});
