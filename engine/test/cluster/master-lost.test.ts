/** A master that dies or stops answering ends attached clients with ClusterLostError quickly; a new cluster can start. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { attachCluster, ClusterLostError, startCluster, type Cluster } from '../../src/cluster/index.js';
import { alive, endlessPlan, waitUntil } from './helpers.js';
import { tempDir } from './plans.js';

const dir = tempDir('master-lost');
const started: Cluster[] = [];
const pids: number[] = [];

afterAll(async () => {
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  await Promise.all(started.map((c) => c.stop()));
  rmSync(dir, { recursive: true, force: true });
});

async function clusterWithPids(name: string): Promise<{ cluster: Cluster; master: number; workers: number[] }> {
  const cluster = await startCluster({ core: 1, scratchDir: join(dir, name), threadsPerWorker: 1 });
  started.push(cluster);
  const status = await cluster.status();
  const workers = status.workers.map((w) => w.pid!);
  pids.push(status.masterPid, ...workers);
  return { cluster, master: status.masterPid, workers };
}

test('SIGKILLed master: the running job, the event stream and later calls fail with ClusterLostError; workers exit; a new cluster starts', async () => {
  const { cluster, master, workers } = await clusterWithPids('killed');
  const attached = attachCluster(cluster.url);
  let running = false;
  const job = attached.runJob(endlessPlan(), { onProgress: (p) => (running ||= p.tasks.running > 0) }).catch((e: Error) => e);
  const stream = (async () => {
    for await (const _event of attached.events()) {
      // only waiting for the end
    }
  })().catch((e: Error) => e);
  await waitUntil(() => running, 10_000, 'the job to run');
  const killedAt = Date.now();
  process.kill(master, 'SIGKILL');
  const error = await job;
  expect(error).toBeInstanceOf(ClusterLostError);
  expect((error as Error).message).toMatch(/^cluster lost: master at http:\/\/127\.0\.0\.1:\d+\/\?token=\*\*\* is not answering$/);
  expect(Date.now() - killedAt).toBeLessThan(2000);
  expect(await stream).toBeInstanceOf(ClusterLostError);
  await expect(attached.status()).rejects.toBeInstanceOf(ClusterLostError);
  await waitUntil(() => !workers.some(alive), 5000, 'the workers to exit');
  const { cluster: next } = await clusterWithPids('next');
  expect((await next.status()).workers).toHaveLength(1);
}, 60_000);

test('SIGSTOPped master: an attached job fails with ClusterLostError after lostAfterMs instead of hanging', async () => {
  const { cluster, master } = await clusterWithPids('stopped');
  const attached = attachCluster(cluster.url, { lostAfterMs: 1500 });
  let running = false;
  const job = attached.runJob(endlessPlan(), { onProgress: (p) => (running ||= p.tasks.running > 0) }).catch((e: Error) => e);
  await waitUntil(() => running, 10_000, 'the job to run');
  const stoppedAt = Date.now();
  process.kill(master, 'SIGSTOP');
  try {
    expect(await job).toBeInstanceOf(ClusterLostError);
    expect(Date.now() - stoppedAt).toBeLessThan(3500);
    await expect(attached.status()).rejects.toBeInstanceOf(ClusterLostError);
  } finally {
    process.kill(master, 'SIGCONT');
  }
  expect(() => attachCluster(cluster.url, { lostAfterMs: 10 })).toThrow(/lostAfterMs must be more than 1000 ms, got 10/);
}, 60_000);
