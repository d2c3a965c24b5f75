/** A worker runs under its DuckDB memory_limit and spills to its temp directory; the job log reports the spill. */
import { expect, test } from 'vitest';
import type { PhysicalPlan } from '../../src/physical/types.js';
import { jobLog } from './helpers.js';
import { schemaOf, stage } from './plans.js';
import { clusterPerFile } from './fixture.js';

const fixture = clusterPerFile('memory', { core: 1, threadsPerWorker: 1, memoryPerWorker: '64MB' });

test('a sort larger than the 64MB memory_limit completes by spilling, and the task reports its spill', async () => {
  const result = schemaOf([['n', 'BIGINT'], ['first', 'VARCHAR']]);
  const plan: PhysicalPlan = {
    stages: [stage(0, "SELECT count(*)::BIGINT AS n, min(s) AS first FROM (SELECT a::VARCHAR || '-padding-padding-padding' AS s, hash(a) AS h FROM range(6000000) t(a) ORDER BY h)",
      { kind: 'result' }, [[]], [], result)],
    resultStageId: 0,
    schema: result,
  };
  const answer = await fixture.cluster.runJob(plan);
  if (!('table' in answer)) throw new Error('expected rows');
  expect(answer.table.toArray().map((r) => [r.n, r.first])).toEqual([[6000000n, '0-padding-padding-padding']]);
  const done = (await jobLog(fixture.cluster, answer.jobId)).find((e) => e.event === 'taskSucceeded')!;
  expect(done.spillBytes).toBeGreaterThan(0);
}, 60_000);
