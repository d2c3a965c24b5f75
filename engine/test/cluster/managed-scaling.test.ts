/** Managed scaling: a task worker joins while tasks queue up and leaves after idling; each decision is logged with its reason. */
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { startCluster } from '../../src/cluster/index.js';
import { alive, api, hashingPlan, jobLog, waitUntil } from './helpers.js';
import { clusterPerFile } from './fixture.js';

const fixture = clusterPerFile('scaling', {
  core: 1, threadsPerWorker: 1, tasksPerWorker: 1,
  scaling: { minTask: 0, maxTask: 1, queuedTasksThreshold: 2, idleTimeoutMs: 1000, intervalMs: 200 },
});

test('queued tasks add a task worker that takes work; idle, it is removed; both decisions say why', async () => {
  expect((await fixture.cluster.status()).scaling).toMatchObject({ minTask: 0, maxTask: 1 });
  const result = await fixture.cluster.runJob(hashingPlan(10, 1_500_000));
  const added = (await fixture.cluster.scaling()).find((d) => d.action === 'add' && d.role === 'task')!;
  expect(added.reason).toMatch(/^managed scaling: \d+ tasks waiting for a slot \(threshold 2, maxTask 1\)/);
  const taskWorker = added.workerIds[0]!;
  expect((await jobLog(fixture.cluster, result.jobId)).some((e) => e.event === 'taskStarted' && e.workerId === taskWorker)).toBe(true);
  const pid = (await fixture.cluster.status()).workers.find((w) => w.id === taskWorker)?.pid;
  await waitUntil(async () => (await fixture.cluster.scaling()).some((d) => d.action === 'remove' && d.workerIds[0] === taskWorker), 8000, 'the idle worker to be removed');
  const removed = (await fixture.cluster.scaling()).find((d) => d.action === 'remove')!;
  expect(removed.reason).toMatch(/^managed scaling: idle for \d+ ms \(idleTimeoutMs 1000, minTask 0\)$/);
  await waitUntil(async () => (await fixture.cluster.status()).workers.length === 1, 5000, 'one worker left');
  if (pid) await waitUntil(() => !alive(pid), 3000, 'the removed worker to exit');
  const listed = (await api(fixture.cluster, 'GET', '/api/cluster/scaling')).json as { decisions: unknown[] };
  expect(listed.decisions.length).toBeGreaterThanOrEqual(2);
  // The maximum holds: never more than one task worker.
  expect((await fixture.cluster.scaling()).filter((d) => d.action === 'add')).toHaveLength(1);
}, 60_000);

test('bad scaling options are refused before anything starts', async () => {
  await expect(startCluster({ scratchDir: join(fixture.dir, 'bad'), scaling: { minTask: 2, maxTask: 1 } })).rejects.toThrow(/scaling.maxTask must be an integer >= minTask \(2\), got 1/);
});
