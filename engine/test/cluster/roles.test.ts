/** Core and task workers: a task worker's outputs are handed to a core worker before its task counts as done. */
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { startCluster, type JobProgress } from '../../src/cluster/index.js';
import { alive, hashingAnswer, hashingPlan, jobLog, rowsOfResult, waitUntil } from './helpers.js';
import { clusterPerFile } from './fixture.js';

const fixture = clusterPerFile('roles', { core: 1, task: 1, threadsPerWorker: 1, tasksPerWorker: 1 });

test('status lists core and task workers; workers stays a synonym of core', async () => {
  const workers = (await fixture.cluster.status()).workers;
  expect(workers.map((w) => w.role).sort()).toEqual(['core', 'task']);
  expect((await fixture.cluster.status()).size).toEqual({ core: 1, task: 1 });
  await expect(startCluster({ core: 1, workers: 2, scratchDir: join(fixture.dir, 'bad') })).rejects.toThrow(/workers is a synonym of core; got core 1 and workers 2/);
  await expect(startCluster({ task: -1, scratchDir: join(fixture.dir, 'bad') })).rejects.toThrow(/task workers must be a non-negative integer, got -1/);
});

test('outputs made on the task worker move to the core worker; losing the task worker loses no finished work', async () => {
  const PER_TASK = 1_000_000;
  const workers = (await fixture.cluster.status()).workers;
  const core = workers.find((w) => w.role === 'core')!;
  const task = workers.find((w) => w.role === 'task')!;
  let killed = false;
  const onProgress = (p: JobProgress) => {
    // Stage 0 is done, partly on the task worker: killing it now must not lose any of stage 0.
    if (!killed && p.stages[0]!.tasks.done === 6) {
      killed = true;
      process.kill(task.pid!, 'SIGKILL');
    }
  };
  const result = await fixture.cluster.runJob(hashingPlan(6, PER_TASK), { onProgress });
  expect(killed).toBe(true);
  expect(rowsOfResult(result)).toEqual(await fixture.reference.rows(hashingAnswer(6 * PER_TASK)));
  const log = await jobLog(fixture.cluster, result.jobId);
  const onTaskWorker = log.filter((e) => e.event === 'taskSucceeded' && e.stageId === 0 && e.workerId === task.id);
  expect(log.filter((e) => e.event === 'taskStarted' && e.stageId === 0 && e.workerId === task.id).length).toBeGreaterThan(0);
  // Every stage-0 success is registered on the core worker, after its output moved there.
  expect(onTaskWorker).toHaveLength(0);
  const moved = log.filter((e) => e.event === 'outputMoved' && e.stageId === 0);
  expect(moved.length).toBeGreaterThan(0);
  expect(moved.every((e) => e.workerId === core.id)).toBe(true);
  expect(log.filter((e) => e.event === 'outputLost')).toHaveLength(0);
  expect(log.filter((e) => e.event === 'taskSucceeded' && e.stageId === 0)).toHaveLength(6);
  // The dead task worker is replaced by a task worker.
  await waitUntil(async () => (await fixture.cluster.status()).workers.filter((w) => w.role === 'task' && w.state === 'idle').length === 1, 15_000, 'replacement task worker');
  expect(alive(task.pid!)).toBe(false);
}, 60_000);
