/** Failures, cancellation, lost workers and process cleanup on a real cluster. */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';
import { startCluster, type JobProgress } from '../../src/cluster/index.js';
import type { PhysicalPlan } from '../../src/physical/types.js';
import { schemaOf, stage, valuesInput } from './plans.js';
import { clusterPerFile } from './fixture.js';
import { alive, hashingAnswer, hashingPlan, jobLog, rowsOfResult, waitUntil } from './helpers.js';

// One task per worker, so a job runs in waves and a worker can hold finished output while it works.
const fixture = clusterPerFile('faults', { workers: 2, threadsPerWorker: 1, tasksPerWorker: 1 });

const ONE = schemaOf([['x', 'INTEGER']]);

test('a task that always fails fails the job after 4 attempts with its original error, stage and partition', async () => {
  const plan: PhysicalPlan = {
    stages: [stage(0, "SELECT CASE WHEN x = 0 THEN error('boom at zero') ELSE x END AS y FROM t", { kind: 'result' },
      [[valuesInput('t', { x: Int32Array.from([1]) }, ONE)], [valuesInput('t', { x: Int32Array.from([0]) }, ONE)]])],
    resultStageId: 0,
    schema: ONE,
  };
  const error = await fixture.cluster.runJob(plan).catch((e: Error) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toMatch(/^stage 0 \(stage 0\) partition 1 failed after 4 attempts: .*boom at zero/);
  const jobs = (await fixture.cluster.status()).jobs;
  const failed = jobs.find((j) => j.state === 'failed')!;
  const log = await jobLog(fixture.cluster, failed.jobId);
  expect(log.filter((e) => e.event === 'taskFailed' && e.partition === 1)).toHaveLength(4);
});

test('cancelling through the AbortSignal stops every task of the job within a second', async () => {
  const plan: PhysicalPlan = {
    stages: [stage(0, 'SELECT count(*) AS n FROM t, range(1000000000000) r(a) WHERE a % 7 = t.x', { kind: 'result' },
      [[valuesInput('t', { x: Int32Array.from([3]) }, ONE)], [valuesInput('t', { x: Int32Array.from([4]) }, ONE)]])],
    resultStageId: 0,
    schema: ONE,
  };
  const controller = new AbortController();
  let running = false;
  const job = fixture.cluster.runJob(plan, { signal: controller.signal, onProgress: (p) => (running ||= p.tasks.running === 2) });
  const outcome = job.catch((e: Error) => e);
  await waitUntil(() => running, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const cancelledAt = Date.now();
  controller.abort();
  expect(((await outcome) as Error).name).toBe('AbortError');
  const stoppedIn = await waitUntil(async () => (await fixture.cluster.status()).workers.every((w) => w.runningTasks === 0), 1000);
  expect(Date.now() - cancelledAt).toBeLessThan(1000);
  expect(stoppedIn).toBeLessThan(1000);
  expect((await fixture.cluster.status()).jobs.some((j) => j.state === 'cancelled')).toBe(true);
});

test('a worker killed with SIGKILL mid-job: its tasks and the outputs it held are recomputed, the answer is right', async () => {
  const PER_TASK = 3_000_000;
  const plan = hashingPlan(4, PER_TASK);
  const victim = (await fixture.cluster.status()).workers[0]!;
  let killed = false;
  const onProgress = (p: JobProgress) => {
    // Kill once the first wave is done (the victim holds an output) and the second is running.
    if (!killed && p.stages[0]!.tasks.done >= 2 && p.stages[0]!.tasks.running > 0) {
      killed = true;
      process.kill(victim.pid!, 'SIGKILL');
    }
  };
  const result = await fixture.cluster.runJob(plan, { onProgress });
  expect(killed).toBe(true);
  expect(rowsOfResult(result)).toEqual(await fixture.reference.rows(hashingAnswer(4 * PER_TASK)));
  const log = await jobLog(fixture.cluster, result.jobId);
  expect(log.some((e) => e.event === 'taskLost' || e.event === 'outputLost')).toBe(true);
  // The cluster replaced the worker and keeps its size.
  const workers = (await fixture.cluster.status()).workers;
  expect(workers.filter((w) => w.state !== 'dead')).toHaveLength(2);
  expect(workers.some((w) => w.id === victim.id)).toBe(false);
}, 60_000);

test('stop() leaves no master or worker process behind', async () => {
  const own = await startCluster({ workers: 2, scratchDir: join(fixture.dir, 'own'), threadsPerWorker: 1 });
  const status = await own.status();
  const pids = [status.masterPid, ...status.workers.map((w) => w.pid!)];
  expect(pids.every(alive)).toBe(true);
  await own.stop();
  await waitUntil(() => !pids.some(alive), 3000);
});

test('when the driver process dies, the master and its workers exit', async () => {
  const script = fileURLToPath(new URL('./fixtures/driver-that-dies.ts', import.meta.url));
  const driver = spawn(process.execPath, ['--import', 'tsx', script, join(fixture.dir, 'orphan')], { cwd: fileURLToPath(new URL('../../..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    driver.stdout!.once('data', (data: Buffer) => resolve(data.toString()));
    driver.once('exit', (code) => reject(new Error(`driver exited early with ${code}`)));
  });
  const pids = JSON.parse(line) as number[];
  expect(pids).toHaveLength(3);
  driver.kill('SIGKILL');
  await waitUntil(() => !pids.some(alive), 5000);
});
