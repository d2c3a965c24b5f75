/**
 * SessionOptions.owner on a shared cluster: every job a Session submits carries its owner, and the
 * master shares task slots between owners, not between jobs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '../cluster/start-cluster.js';
import type { Cluster, JobDetail } from '../cluster/types.js';
import type { DataFrame } from './dataframe.js';
import { col, concat, lit, max, regexpReplace } from './functions.js';
import { Session } from './session.js';

let scratch: string;
let cluster: Cluster;
const sessions: Session[] = [];

/** A Session attached to the shared cluster. */
async function notebook(owner?: string): Promise<Session> {
  const session = await Session.start({ cluster: cluster.url, scratchDir: join(scratch, `session-${sessions.length}`), ...(owner ? { owner } : {}) });
  sessions.push(session);
  return session;
}

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'quire-session-owner-'));
  // One worker with two slots: jobs of different owners compete for them.
  cluster = await startCluster({ workers: 1, tasksPerWorker: 2, threadsPerWorker: 1, scratchDir: join(scratch, 'cluster') });
});
afterAll(async () => {
  await Promise.all(sessions.map((session) => session.stop()));
  await cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** A job of `tasks` tasks that each take a while (a regular expression over a few hundred thousand strings). */
function slowJob(spark: Session, tasks: number): DataFrame {
  const text = regexpReplace(concat(col('id').cast('VARCHAR'), lit('-quire')), '([0-9])([a-z])', '$2$1');
  return spark.range(0, tasks * 300_000, 1, tasks).select(max(text).alias('h'));
}

describe('job owners on a shared cluster', () => {
  it("tags every job with its session's owner; a session without one leaves its jobs ownerless", async () => {
    const [sales, costs, anonymous] = [await notebook('team/sales.ipynb'), await notebook('costs.ipynb'), await notebook()];
    const before = new Set((await cluster.jobs()).map((job) => job.jobId));
    await sales.range(10).count();
    await costs.range(10).count();
    await anonymous.range(10).count();
    const owners = (await cluster.jobs()).filter((job) => !before.has(job.jobId)).map((job) => job.owner);
    expect(owners).toEqual(['team/sales.ipynb', 'costs.ipynb', '']);
  }, 120_000);

  it('labels jobs with the description set on the session until it is cleared', async () => {
    const spark = await notebook('labels.ipynb');
    spark.setJobDescription('[3] flights.count()');
    await spark.range(10).count();
    spark.setJobDescription(undefined);
    await spark.range(10).count();
    const descriptions = (await cluster.jobs()).filter((job) => job.owner === 'labels.ipynb').map((job) => job.description);
    expect(descriptions).toHaveLength(2);
    expect(descriptions[0]).toMatch(/^\[3\] flights\.count\(\): \S/);
    expect(descriptions[1]).not.toContain('[3]');
  }, 120_000);

  it('gives a notebook running one job as many slots as a notebook running two', async () => {
    const [a, b] = [await notebook('a.ipynb'), await notebook('b.ipynb')];
    const runs = [slowJob(a, 8).collect(), slowJob(a, 8).collect()];
    // B comes last, while A's two jobs already wait for the slots.
    await waitUntil(async () => (await cluster.jobs()).filter((job) => job.owner === 'a.ipynb' && job.state === 'running').length === 2);
    runs.push(slowJob(b, 6).collect());
    await Promise.all(runs);

    const jobs = await Promise.all((await cluster.jobs()).filter((job) => job.owner === 'a.ipynb' || job.owner === 'b.ipynb').map((job) => cluster.job(job.jobId)));
    const bJob = jobs.find((job) => job.owner === 'b.ipynb')!;
    const [bTasks, bSubmitted] = [bJob.progress.tasks.total, Date.parse(bJob.submittedAt)];
    // Shared per owner, once B is submitted a slot that frees while B runs nothing and still has tasks to start
    // goes to B unless A runs nothing either. Shared per job, the A job that freed the slot ties with B and,
    // being older, takes it back: B waits until A's jobs run out of tasks.
    const running = { 'a.ipynb': 0, 'b.ipynb': 0 } as Record<string, number>;
    let startedOfB = 0;
    const unfair: string[] = [];
    for (const event of taskEvents(jobs)) {
      if (event.kind === 'end') {
        running[event.owner]!--;
        continue;
      }
      if (event.owner === 'a.ipynb' && event.at > bSubmitted && startedOfB < bTasks && running['b.ipynb'] === 0 && running['a.ipynb']! > 0) {
        unfair.push(`A started a task at ${new Date(event.at).toISOString()} while running ${running['a.ipynb']} to B's 0`);
      }
      if (event.owner === 'b.ipynb') startedOfB++;
      running[event.owner]!++;
    }
    expect(startedOfB).toBe(bTasks);
    expect(unfair).toEqual([]);
  }, 180_000);

  it("lets a monitor (the app's cluster panel) cancel a notebook's job: the action fails with the reason", async () => {
    const spark = await notebook('long.ipynb');
    const action = slowJob(spark, 200).collect();
    const outcome = action.then(() => 'succeeded', (error: Error) => error);
    await waitUntil(async () => (await cluster.jobs()).some((job) => job.owner === 'long.ipynb' && job.state === 'running'));
    const job = (await cluster.jobs()).find((j) => j.owner === 'long.ipynb')!;
    const url = new URL(`/api/cluster/jobs/${job.jobId}/cancel`, cluster.url);
    url.search = new URL(cluster.url).search;
    expect((await fetch(url, { method: 'POST' })).status).toBe(200);
    const error = await outcome;
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(`job ${job.jobId} was cancelled: cancelled by a user through the cluster API`);
    expect((await cluster.job(job.jobId)).state).toBe('cancelled');
  }, 120_000);
});

/**
 * Task starts and ends of these jobs in the master's order. Ends come first within a millisecond: the master
 * fills a slot in the same turn that frees it.
 */
function taskEvents(jobs: JobDetail[]): { at: number; kind: 'start' | 'end'; owner: string }[] {
  const ends = new Set(['taskSucceeded', 'taskFailed', 'taskLost']);
  return jobs
    .flatMap((job) => job.events
      .filter((event) => event.event === 'taskStarted' || ends.has(event.event))
      .map((event) => ({ at: Date.parse(event.at), kind: event.event === 'taskStarted' ? 'start' as const : 'end' as const, owner: job.owner })))
    .sort((x, y) => x.at - y.at || (x.kind === y.kind ? 0 : x.kind === 'end' ? -1 : 1));
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
