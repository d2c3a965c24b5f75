/** Failures, cancellation, lost workers and process cleanup on a real cluster. */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startCluster, type Cluster, type JobProgress } from '../../src/cluster/index.js';
import type { PhysicalPlan } from '../../src/physical/types.js';
import { exchangeInput, referenceDb, schemaOf, stage, tempDir, valuesInput } from './plans.js';

let cluster: Cluster;
let dir: string;

beforeAll(async () => {
  dir = tempDir('faults');
  // One task per worker, so a job runs in waves and a worker can hold finished output while it works.
  cluster = await startCluster({ workers: 2, scratchDir: join(dir, 'cluster'), threadsPerWorker: 1, tasksPerWorker: 1 });
});
afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return Date.now() - started;
}

async function jobLog(jobId: string): Promise<{ event: string; stageId?: number; partition?: number; workerId?: string }[]> {
  const url = new URL(cluster.url);
  const response = await fetch(`${url.origin}/api/cluster/jobs/${jobId}${url.search}`);
  return ((await response.json()) as { events: { event: string }[] }).events;
}

const ONE = schemaOf([['x', 'INTEGER']]);

test('a task that always fails fails the job after 4 attempts with its original error, stage and partition', async () => {
  const plan: PhysicalPlan = {
    stages: [stage(0, "SELECT CASE WHEN x = 0 THEN error('boom at zero') ELSE x END AS y FROM t", { kind: 'result' },
      [[valuesInput('t', { x: Int32Array.from([1]) }, ONE)], [valuesInput('t', { x: Int32Array.from([0]) }, ONE)]])],
    resultStageId: 0,
    schema: ONE,
  };
  const error = await cluster.runJob(plan).catch((e: Error) => e);
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).message).toMatch(/^stage 0 \(stage 0\) partition 1 failed after 4 attempts: .*boom at zero/);
  const jobs = (await cluster.status()).jobs;
  const failed = jobs.find((j) => j.state === 'failed')!;
  const log = await jobLog(failed.jobId);
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
  const job = cluster.runJob(plan, { signal: controller.signal, onProgress: (p) => (running ||= p.tasks.running === 2) });
  const outcome = job.catch((e: Error) => e);
  await waitUntil(() => running, 10_000);
  await new Promise((resolve) => setTimeout(resolve, 300));
  const cancelledAt = Date.now();
  controller.abort();
  expect(((await outcome) as Error).name).toBe('AbortError');
  const stoppedIn = await waitUntil(async () => (await cluster.status()).workers.every((w) => w.runningTasks === 0), 1000);
  expect(Date.now() - cancelledAt).toBeLessThan(1000);
  expect(stoppedIn).toBeLessThan(1000);
  expect((await cluster.status()).jobs.some((j) => j.state === 'cancelled')).toBe(true);
});

test('a worker killed with SIGKILL mid-job: its tasks and the outputs it held are recomputed, the answer is right', async () => {
  const PER_TASK = 3_000_000;
  const bounds = schemaOf([['lo', 'BIGINT'], ['hi', 'BIGINT']]);
  const partial = schemaOf([['k', 'BIGINT'], ['c', 'BIGINT'], ['h', 'BIGINT']]);
  const plan: PhysicalPlan = {
    stages: [
      stage(0, 'SELECT a % 10 AS k, count(*) AS c, sum(hash(a) % 1000)::BIGINT AS h FROM bounds, range(bounds.lo, bounds.hi) t(a) GROUP BY k',
        { kind: 'hash', keys: ['k'], partitions: 2 },
        [0, 1, 2, 3].map((i) => [valuesInput('bounds', { lo: BigInt64Array.from([BigInt(i * PER_TASK)]), hi: BigInt64Array.from([BigInt((i + 1) * PER_TASK)]) }, bounds)]),
        [], partial),
      stage(1, 'SELECT k, sum(c)::BIGINT AS c, sum(h)::BIGINT AS h FROM partial GROUP BY k ORDER BY k', { kind: 'result' },
        [0, 1].map((p) => [exchangeInput('partial', 0, [p], partial)]), [0], partial),
    ],
    resultStageId: 1,
    schema: partial,
  };
  const victim = (await cluster.status()).workers[0]!;
  let killed = false;
  const onProgress = (p: JobProgress) => {
    // Kill once the first wave is done (the victim holds an output) and the second is running.
    if (!killed && p.stages[0]!.tasks.done >= 2 && p.stages[0]!.tasks.running > 0) {
      killed = true;
      process.kill(victim.pid!, 'SIGKILL');
    }
  };
  const result = await cluster.runJob(plan, { onProgress });
  expect(killed).toBe(true);
  const reference = await referenceDb(dir);
  const expected = await reference.rows(`SELECT a % 10 AS k, count(*)::BIGINT, sum(hash(a) % 1000)::BIGINT FROM range(${4 * PER_TASK}) t(a) GROUP BY k ORDER BY k`);
  if (!('table' in result)) throw new Error('expected a table');
  const got = result.table.toArray().map((r) => [r.k, r.c, r.h]).sort((a, b) => Number(a[0]) - Number(b[0]));
  expect(got).toEqual(expected);
  const log = await jobLog(result.jobId);
  expect(log.some((e) => e.event === 'taskLost' || e.event === 'outputLost')).toBe(true);
  // The cluster replaced the worker and keeps its size.
  const workers = (await cluster.status()).workers;
  expect(workers.filter((w) => w.state !== 'dead')).toHaveLength(2);
  expect(workers.some((w) => w.id === victim.id)).toBe(false);
}, 60_000);

test('stop() leaves no master or worker process behind', async () => {
  const own = await startCluster({ workers: 2, scratchDir: join(dir, 'own'), threadsPerWorker: 1 });
  const status = await own.status();
  const pids = [status.masterPid, ...status.workers.map((w) => w.pid!)];
  expect(pids.every(alive)).toBe(true);
  await own.stop();
  await waitUntil(() => !pids.some(alive), 3000);
});

test('when the driver process dies, the master and its workers exit', async () => {
  const fixture = fileURLToPath(new URL('./fixtures/driver-that-dies.ts', import.meta.url));
  const driver = spawn(process.execPath, ['--import', 'tsx', fixture, join(dir, 'orphan')], { cwd: fileURLToPath(new URL('../../..', import.meta.url)), stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    driver.stdout!.once('data', (data: Buffer) => resolve(data.toString()));
    driver.once('exit', (code) => reject(new Error(`driver exited early with ${code}`)));
  });
  const pids = JSON.parse(line) as number[];
  expect(pids).toHaveLength(3);
  driver.kill('SIGKILL');
  await waitUntil(() => !pids.some(alive), 5000);
});
