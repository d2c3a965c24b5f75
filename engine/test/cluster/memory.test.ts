/** A worker runs under its DuckDB memory_limit and spills to its temp directory; the job log reports the spill. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startCluster, type Cluster } from '../../src/cluster/index.js';
import type { PhysicalPlan } from '../../src/physical/types.js';
import { jobLog } from './helpers.js';
import { schemaOf, stage, tempDir } from './plans.js';

let cluster: Cluster;
let dir: string;

beforeAll(async () => {
  dir = tempDir('memory');
  cluster = await startCluster({ core: 1, scratchDir: join(dir, 'cluster'), threadsPerWorker: 1, memoryPerWorker: '64MB' });
});
afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('a sort larger than the 64MB memory_limit completes by spilling, and the task reports its spill', async () => {
  const result = schemaOf([['n', 'BIGINT'], ['first', 'VARCHAR']]);
  const plan: PhysicalPlan = {
    stages: [stage(0, "SELECT count(*)::BIGINT AS n, min(s) AS first FROM (SELECT a::VARCHAR || '-padding-padding-padding' AS s, hash(a) AS h FROM range(6000000) t(a) ORDER BY h)",
      { kind: 'result' }, [[]], [], result)],
    resultStageId: 0,
    schema: result,
  };
  const answer = await cluster.runJob(plan);
  if (!('table' in answer)) throw new Error('expected rows');
  expect(answer.table.toArray().map((r) => [r.n, r.first])).toEqual([[6000000n, '0-padding-padding-padding']]);
  const done = (await jobLog(cluster, answer.jobId)).find((e) => e.event === 'taskSucceeded')!;
  expect(done.spillBytes).toBeGreaterThan(0);
}, 60_000);
