/** Managed scaling: a task worker joins while tasks queue up and leaves after idling; each decision is logged with its reason. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startCluster, type Cluster } from '../../src/cluster/index.js';
import { alive, api, hashingPlan, jobLog, waitUntil } from './helpers.js';
import { tempDir } from './plans.js';

let cluster: Cluster;
let dir: string;

beforeAll(async () => {
  dir = tempDir('scaling');
  cluster = await startCluster({
    core: 1, scratchDir: join(dir, 'cluster'), threadsPerWorker: 1, tasksPerWorker: 1,
    scaling: { minTask: 0, maxTask: 1, queuedTasksThreshold: 2, idleTimeoutMs: 1000, intervalMs: 200 },
  });
});
afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('queued tasks add a task worker that takes work; idle, it is removed; both decisions say why', async () => {
  expect((await cluster.status()).scaling).toMatchObject({ minTask: 0, maxTask: 1 });
  const result = await cluster.runJob(hashingPlan(10, 1_500_000));
  const added = (await cluster.scaling()).find((d) => d.action === 'add' && d.role === 'task')!;
  expect(added.reason).toMatch(/^managed scaling: \d+ tasks waiting for a slot \(threshold 2, maxTask 1\)/);
  const taskWorker = added.workerIds[0]!;
  expect((await jobLog(cluster, result.jobId)).some((e) => e.event === 'taskStarted' && e.workerId === taskWorker)).toBe(true);
  const pid = (await cluster.status()).workers.find((w) => w.id === taskWorker)?.pid;
  await waitUntil(async () => (await cluster.scaling()).some((d) => d.action === 'remove' && d.workerIds[0] === taskWorker), 8000, 'the idle worker to be removed');
  const removed = (await cluster.scaling()).find((d) => d.action === 'remove')!;
  expect(removed.reason).toMatch(/^managed scaling: idle for \d+ ms \(idleTimeoutMs 1000, minTask 0\)$/);
  await waitUntil(async () => (await cluster.status()).workers.length === 1, 5000, 'one worker left');
  if (pid) await waitUntil(() => !alive(pid), 3000, 'the removed worker to exit');
  const listed = (await api(cluster, 'GET', '/api/cluster/scaling')).json as { decisions: unknown[] };
  expect(listed.decisions.length).toBeGreaterThanOrEqual(2);
  // The maximum holds: never more than one task worker.
  expect((await cluster.scaling()).filter((d) => d.action === 'add')).toHaveLength(1);
}, 60_000);

test('bad scaling options are refused before anything starts', async () => {
  await expect(startCluster({ scratchDir: join(dir, 'bad'), scaling: { minTask: 2, maxTask: 1 } })).rejects.toThrow(/scaling.maxTask must be an integer >= minTask \(2\), got 1/);
});
