/** Worker samples, the cluster event stream, job listings with stage timings, bounded job history, result size limits. */
import { expect, test } from 'vitest';
import { type ClusterEvent, type JobProgress } from '../../src/cluster/index.js';
import type { PhysicalPlan } from '../../src/physical/types.js';
import { hashingPlan, waitUntil } from './helpers.js';
import { schemaOf, stage, valuesInput } from './plans.js';
import { clusterPerFile } from './fixture.js';

const fixture = clusterPerFile('monitoring', { core: 2, threadsPerWorker: 1, maxFinishedJobs: 3, maxResultBytes: 64 * 1024, adaptivePartitionBytes: 0 });

function tinyPlan(x: number): PhysicalPlan {
  const one = schemaOf([['x', 'INTEGER']]);
  return { stages: [stage(0, 'SELECT x FROM t', { kind: 'result' }, [[valuesInput('t', { x: Int32Array.from([x]) }, one)]])], resultStageId: 0, schema: one };
}

test('the event stream carries job, stage and task events with rows and bytes, worker samples; the last progress is terminal', async () => {
  const events: ClusterEvent[] = [];
  const watching = new AbortController();
  const following = (async () => {
    for await (const event of fixture.cluster.events(watching.signal)) events.push(event);
  })().catch((error: Error) => error);
  await waitUntil(() => events.some((e) => e.type === 'sample'), 3000, 'a sample event');
  const progress: JobProgress[] = [];
  const result = await fixture.cluster.runJob(hashingPlan(4, 200_000), { owner: 'nb-1', onProgress: (p) => progress.push(p) });
  expect(progress.at(-1)!.state).toBe('succeeded');
  expect(progress.at(-1)!.tasks.done).toBe(progress.at(-1)!.tasks.total);
  await waitUntil(() => events.some((e) => e.type === 'job' && e.jobId === result.jobId && e.entry.event === 'succeeded'), 3000, 'the job end event');
  watching.abort();
  expect(((await following) as Error).name).toBe('AbortError');
  const entries = events.flatMap((e) => (e.type === 'job' && e.jobId === result.jobId ? [e.entry] : []));
  expect(entries[0]!.event).toBe('submitted');
  expect(entries.filter((e) => e.event === 'stageStarted').map((e) => e.stageId)).toEqual([0, 1]);
  expect(entries.filter((e) => e.event === 'stageSucceeded').map((e) => e.stageId)).toEqual([0, 1]);
  const consumer = entries.find((e) => e.event === 'taskSucceeded' && e.stageId === 1)!;
  expect(consumer.bytesIn).toBeGreaterThan(0);
  // Each of the 4 producers wrote up to 10 key rows, split over the 2 consumers.
  const rowsIn = entries.filter((e) => e.event === 'taskSucceeded' && e.stageId === 1).map((e) => e.rowsIn!);
  expect(rowsIn.reduce((a, b) => a + b, 0)).toBe(40);
  expect(consumer.rowsOut).toBeGreaterThan(0);
  expect(consumer.workerId).toMatch(/^w\d+$/);
  expect(events.find((e) => e.type === 'job')!.type === 'job' && (events.find((e) => e.type === 'job') as { owner: string }).owner).toBe('nb-1');

  const detail = await fixture.cluster.job(result.jobId);
  expect(detail.stages.map((s) => [s.id, s.tasks.done, Boolean(s.startedAt && s.finishedAt)])).toEqual([[0, 4, true], [1, 2, true]]);
  expect(detail.durationMs).toBeGreaterThan(0);
}, 30_000);

test('GET /api/cluster gives each worker about a second-by-second history of cpu and rss', async () => {
  await waitUntil(async () => (await fixture.cluster.status()).workers.every((w) => w.history.length >= 3), 6000, 'three samples');
  for (const worker of (await fixture.cluster.status()).workers) {
    const [a, b] = worker.history.slice(-2);
    expect(b!.t - a!.t).toBeGreaterThanOrEqual(500);
    expect(b!.t - a!.t).toBeLessThan(2500);
    expect(b!.rssBytes).toBeGreaterThan(10_000_000);
    expect(worker.history.length).toBeLessThanOrEqual(60);
  }
});

test('only the last maxFinishedJobs finished jobs are kept', async () => {
  for (let i = 0; i < 5; i++) await fixture.cluster.runJob(tinyPlan(i));
  const jobs = await fixture.cluster.jobs();
  expect(jobs).toHaveLength(3);
  expect(jobs.every((j) => j.state === 'succeeded')).toBe(true);
  await expect(fixture.cluster.job('no-such-job')).rejects.toThrow(/HTTP 404\): no job no-such-job/);
});

test('a result larger than maxResultBytes fails with a message suggesting limit() or write()', async () => {
  const wide = schemaOf([['s', 'VARCHAR']]);
  const plan: PhysicalPlan = {
    stages: [stage(0, "SELECT repeat('x', 100) || a AS s FROM range(5000) r(a)", { kind: 'result' }, [[]], [], wide)],
    resultStageId: 0,
    schema: wide,
  };
  await expect(fixture.cluster.runJob(plan)).rejects.toThrow(/^the result is \d+ bytes \(5000 rows\), more than the 65536 bytes the driver accepts \(maxResultBytes\); fetch fewer rows with limit\(\), or save it with write\(\) and read the files$/);
});
