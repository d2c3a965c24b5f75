/** A worker that stops answering heartbeats (SIGSTOP) is declared lost within 5 s and its tasks rerun on another worker. */
import { afterAll, expect, test } from 'vitest';
import { type ClusterEvent } from '../../src/cluster/index.js';
import { alive, endlessPlan, hashingAnswer, hashingPlan, jobLog, rowsOfResult, waitUntil } from './helpers.js';
import { clusterPerFile } from './fixture.js';

const fixture = clusterPerFile('heartbeats', { core: 2, threadsPerWorker: 1, tasksPerWorker: 1 });
const stopped: number[] = [];
// Registered after the fixture's, so it runs before the cluster stops: a stopped worker would not answer.
afterAll(() => {
  for (const pid of stopped) if (alive(pid)) process.kill(pid, 'SIGKILL');
});

test('a SIGSTOPped worker is lost within 5 s, killed, replaced, and its task reruns on the other worker', async () => {
  const events: ClusterEvent[] = [];
  const watching = new AbortController();
  void (async () => {
    for await (const event of fixture.cluster.events(watching.signal)) events.push(event);
  })().catch(() => undefined);
  const PER_TASK = 4_000_000;
  let victim: { id: string; pid: number } | undefined;
  let stoppedAt = 0;
  const result = await fixture.cluster.runJob(hashingPlan(2, PER_TASK, 1), {
    onProgress: (p) => {
      if (victim || p.stages[0]!.tasks.running < 2) return;
      void fixture.cluster.status().then((s) => {
        if (victim) return;
        const busy = s.workers.find((w) => w.runningTasks > 0)!;
        victim = { id: busy.id, pid: busy.pid! };
        stopped.push(busy.pid!);
        stoppedAt = Date.now();
        process.kill(busy.pid!, 'SIGSTOP');
      });
    },
  });
  expect(victim).toBeDefined();
  expect(rowsOfResult(result)).toEqual(await fixture.reference.rows(hashingAnswer(2 * PER_TASK)));
  const lost = events.find((e) => e.type === 'worker' && e.workerId === victim!.id && e.state === 'dead');
  expect(lost).toBeDefined();
  expect(lost!.type === 'worker' && lost!.error).toMatch(/no heartbeat for \d+ ms/);
  expect(Date.parse((lost as { at: string }).at) - stoppedAt).toBeLessThan(5000);
  await waitUntil(() => !alive(victim!.pid), 3000, 'the stopped worker to be killed');
  const log = await jobLog(fixture.cluster, result.jobId);
  const lostTask = log.find((e) => e.event === 'taskLost' && e.workerId === victim!.id)!;
  expect(lostTask).toBeDefined();
  const retry = log.find((e) => e.event === 'taskStarted' && e.stageId === lostTask.stageId && e.partition === lostTask.partition && e.attempt! > lostTask.attempt!)!;
  expect(retry.workerId).not.toBe(victim!.id);
  watching.abort();
  await waitUntil(async () => (await fixture.cluster.status()).workers.filter((w) => w.state === 'idle').length === 2, 15_000, 'a replacement worker');
}, 60_000);

test('a failed attempt is retried on a different worker when one is free', async () => {
  const plan = endlessPlan(1);
  plan.stages[0]!.sql = "SELECT error('always fails')::INTEGER AS x FROM t";
  const error = await fixture.cluster.runJob(plan).catch((e: Error) => e);
  expect((error as Error).message).toMatch(/failed after 4 attempts/);
  const summary = (await fixture.cluster.jobs()).find((j) => j.state === 'failed')!;
  const starts = (await jobLog(fixture.cluster, summary.jobId)).filter((e) => e.event === 'taskStarted');
  expect(starts).toHaveLength(4);
  for (let i = 1; i < starts.length; i++) expect(starts[i]!.workerId).not.toBe(starts[i - 1]!.workerId);
}, 30_000);
