/** Resizing a running cluster: task workers join and drain, core workers are decommissioned by moving their data. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterEach, expect, test } from 'vitest';
import type { PhysicalPlan } from '../../src/physical/types.js';
import { alive, api, hashingAnswer, hashingPlan, jobLog, rowsOfResult, waitUntil } from './helpers.js';
import { schemaOf, stage, valuesInput } from './plans.js';
import { clusterPerFile } from './fixture.js';

const fixture = clusterPerFile('resize', { core: 1, threadsPerWorker: 1, tasksPerWorker: 1 });

// Each test starts with no task workers, whatever the one before it left behind.
afterEach(async () => {
  await fixture.cluster.resize({ task: 0, force: true });
  await waitUntil(async () => (await fixture.cluster.status()).workers.every((w) => w.role === 'core'), 15_000, 'the task workers to leave');
});

test('a task worker added while a job runs takes its tasks; removed, it leaves after its running task', async () => {
  const PER_TASK = 1_500_000;
  // Tasks run one at a time on the core worker: enough of them that the job outlasts a task worker's
  // start-up (a node process loading DuckDB, seconds on a loaded machine).
  const TASKS = 24;
  let resized: Promise<unknown> | undefined;
  const result = await fixture.cluster.runJob(hashingPlan(TASKS, PER_TASK), {
    onProgress: (p) => {
      if (!resized && p.tasks.running > 0) resized = fixture.cluster.resize({ task: 1 });
    },
  });
  const { started } = (await resized) as { started: string[] };
  expect(started).toHaveLength(1);
  expect(rowsOfResult(result)).toEqual(await fixture.reference.rows(hashingAnswer(TASKS * PER_TASK)));
  const log = await jobLog(fixture.cluster, result.jobId);
  expect(log.some((e) => e.event === 'taskStarted' && e.workerId === started[0])).toBe(true);
  expect((await fixture.cluster.status()).size).toEqual({ core: 1, task: 1 });

  // Remove it while it runs a task: the task finishes there (no taskLost), then the worker exits.
  const taskWorker = (await fixture.cluster.status()).workers.find((w) => w.id === started[0])!;
  let removing: string[] = [];
  const second = await fixture.cluster.runJob(hashingPlan(4, PER_TASK), {
    onProgress: () => {
      if (removing.length) return;
      void fixture.cluster.status().then(async (s) => {
        if (removing.length || !s.workers.find((w) => w.id === taskWorker.id && w.runningTasks > 0)) return;
        removing = (await fixture.cluster.resize({ task: 0 })).removing;
      });
    },
  });
  expect(rowsOfResult(second)).toEqual(await fixture.reference.rows(hashingAnswer(4 * PER_TASK)));
  expect(removing).toEqual([taskWorker.id]);
  expect((await jobLog(fixture.cluster, second.jobId)).filter((e) => e.event === 'taskLost')).toHaveLength(0);
  await waitUntil(() => !alive(taskWorker.pid!), 5000, 'the drained worker to exit');
  expect((await fixture.cluster.status()).workers.map((w) => w.role)).toEqual(['core']);
}, 60_000);

test('the last core worker cannot be decommissioned; bad resize requests get 400 with the reason', async () => {
  await expect(fixture.cluster.resize({ core: 0 })).rejects.toThrow(/cannot decommission to 0 core workers: w\d+ is the last core worker, and no other core worker could hold its shuffle and cache data/);
  expect((await api(fixture.cluster, 'POST', '/api/cluster/resize', { task: -2 }))).toEqual({ status: 400, json: { error: 'resize task must be a non-negative integer, got -2' } });
  expect((await api(fixture.cluster, 'POST', '/api/cluster/resize', { cores: 2 })).json).toEqual({ error: 'unknown resize option cores; expected core, task or force' });
  const decisions = await fixture.cluster.scaling();
  expect(decisions.some((d) => d.action === 'refused' && /last core worker/.test(d.reason))).toBe(true);
});

test('decommissioning a core worker moves the outputs it holds to another core worker first', async () => {
  await fixture.cluster.resize({ core: 2 });
  await waitUntil(async () => (await fixture.cluster.status()).workers.filter((w) => w.role === 'core' && w.state === 'idle').length === 2, 15_000, 'two core workers');
  const one = schemaOf([['x', 'INTEGER']]);
  const plan: PhysicalPlan = {
    stages: [stage(0, 'SELECT x * 10 AS x FROM t', { kind: 'result' }, [1, 2, 3, 4].map((x) => [valuesInput('t', { x: Int32Array.from([x]) }, one)]))],
    resultStageId: 0,
    schema: one,
  };
  // Submitted without collecting: the finished result partitions stay on the workers that made them.
  const { jobId } = (await api(fixture.cluster, 'POST', '/api/jobs', { plan })).json as { jobId: string };
  await waitUntil(async () => (await fixture.cluster.job(jobId)).state === 'succeeded', 10_000, 'the job');
  const holders = new Set((await jobLog(fixture.cluster, jobId)).filter((e) => e.event === 'taskSucceeded').map((e) => e.workerId));
  expect(holders.size).toBe(2);
  const { removing } = await fixture.cluster.resize({ core: 1 });
  expect(removing).toHaveLength(1);
  await waitUntil(async () => (await fixture.cluster.scaling()).some((d) => d.workerIds[0] === removing[0] && /moved \d+ outputs/.test(d.reason)), 10_000, 'the decommission');
  await waitUntil(async () => (await fixture.cluster.status()).workers.filter((w) => w.role === 'core').length === 1, 5000, 'one core worker');
  const url = new URL(fixture.cluster.url);
  const values: number[] = [];
  for (let partition = 0; partition < 4; partition++) {
    const response = await fetch(`${url.origin}/api/jobs/${jobId}/results/${partition}${url.search}`);
    expect(response.status).toBe(200);
    values.push(...tableFromIPC(new Uint8Array(await response.arrayBuffer())).toArray().map((r) => r.x as number));
  }
  expect(values).toEqual([10, 20, 30, 40]);
  // Released: answered before the files go, nothing is served from then on, and the files go soon after.
  expect((await api(fixture.cluster, 'POST', `/api/jobs/${jobId}/release`)).status).toBe(200);
  expect((await fetch(`${url.origin}/api/jobs/${jobId}/results/0${url.search}`)).status).toBe(410);
  const jobDirs = () => readdirSync(join(fixture.dir, 'cluster', 'workers')).filter((worker) => existsSync(join(fixture.dir, 'cluster', 'workers', worker, 'jobs', jobId)));
  await waitUntil(() => jobDirs().length === 0, 5000, 'the released job\'s files to be removed');
}, 60_000);

test('force removes a task worker at once over HTTP; its running task reruns elsewhere', async () => {
  const added = (await api(fixture.cluster, 'POST', '/api/cluster/resize', { task: 1 })).json as { started: string[]; task: number };
  expect(added.task).toBe(1);
  const id = added.started[0]!;
  await waitUntil(async () => (await fixture.cluster.status()).workers.some((w) => w.id === id && w.state === 'idle'), 15_000, 'the task worker');
  const pid = (await fixture.cluster.status()).workers.find((w) => w.id === id)!.pid!;
  const PER_TASK = 1_500_000;
  let forced: Promise<unknown> | undefined;
  const result = await fixture.cluster.runJob(hashingPlan(6, PER_TASK), {
    onProgress: () => {
      forced ??= fixture.cluster.status().then((s) => (s.workers.some((w) => w.id === id && w.runningTasks > 0) ? fixture.cluster.resize({ task: 0, force: true }) : (forced = undefined)));
    },
  });
  expect(await forced).toMatchObject({ removing: [id] });
  expect(rowsOfResult(result)).toEqual(await fixture.reference.rows(hashingAnswer(6 * PER_TASK)));
  expect((await jobLog(fixture.cluster, result.jobId)).some((e) => e.event === 'taskLost' && e.workerId === id)).toBe(true);
  await waitUntil(() => !alive(pid), 3000, 'the killed worker to exit');
  expect((await fixture.cluster.status()).workers.every((w) => w.role === 'core')).toBe(true);
  expect((await fixture.cluster.scaling()).some((d) => d.action === 'remove' && /killed, their tasks rerun/.test(d.reason))).toBe(true);
}, 60_000);
