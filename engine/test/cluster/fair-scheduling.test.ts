/** Several drivers on one cluster: free slots go to the owner with the fewest running tasks. */
import { expect, test } from 'vitest';
import { attachCluster } from '../../src/cluster/index.js';
import type { PhysicalPlan } from '../../src/physical/types.js';
import { hashingPlan, waitUntil } from './helpers.js';
import { schemaOf, stage, valuesInput } from './plans.js';
import { clusterPerFile } from './fixture.js';

const fixture = clusterPerFile('fair', { core: 1, threadsPerWorker: 1, tasksPerWorker: 2 });

test("a small query from another owner finishes while one notebook's big job holds every slot", async () => {
  const notebookA = attachCluster(fixture.cluster.url);
  const notebookB = attachCluster(fixture.cluster.url);
  let bigRunning = false;
  const big = notebookA.runJob(hashingPlan(12, 2_000_000), { owner: 'notebook-a', onProgress: (p) => (bigRunning ||= p.tasks.running === 2) });
  await waitUntil(() => bigRunning, 10_000, 'the big job to fill the slots');
  const one = schemaOf([['x', 'INTEGER']]);
  const small: PhysicalPlan = {
    stages: [stage(0, 'SELECT x + 1 AS x FROM t', { kind: 'result' }, [[valuesInput('t', { x: Int32Array.from([41]) }, one)]])],
    resultStageId: 0,
    schema: one,
  };
  const submitted = Date.now();
  const answer = await notebookB.runJob(small, { owner: 'notebook-b' });
  const waited = Date.now() - submitted;
  if (!('table' in answer)) throw new Error('expected rows');
  expect(answer.table.getChild('x')!.get(0)).toBe(42);
  const bigJob = (await fixture.cluster.jobs()).find((j) => j.owner === 'notebook-a')!;
  // The small query took one of the next free slots, long before the big job's 12 tasks were handed out.
  expect(bigJob.state).toBe('running');
  expect(bigJob.progress.stages[0]!.tasks.done).toBeLessThan(9);
  expect(waited).toBeLessThan(bigJob.durationMs);
  await big;
}, 90_000);
