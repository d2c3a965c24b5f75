/**
 * Regression: a core worker SIGKILLed at a fixed delay after Q18 is submitted (default session
 * settings: broadcast joins, two tasks per worker) once made the answer come back with FEWER rows
 * and no error. Outputs lost with the worker were judged unneeded because the stages reading them
 * had finished, before the result partitions the worker also held were set to rerun; the rerun
 * then read only the outputs that remained. Every kill here, early, late, and after the result
 * stage started, must still give exactly DuckDB's answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tpchQuery } from '../../../bench/tpch/queries.js';
import type { ResultRow } from '../../../bench/tpch/reference.js';
import { TPCH_TABLES } from '../../../bench/tpch/generate.js';
import { Session } from '../../src/api/session.js';
import { startCluster, type Cluster, type ClusterStatus } from '../../src/cluster/index.js';
import { compareInOrder, generatedTpch, type TpchData } from '../tpch/tpch-support.js';

const SF = 0.01;
const QUERY = 18;
const CORE = 2;
const POLL_MS = 10;

let data: TpchData;
let expected: ResultRow[];
let scratch: string;
let cluster: Cluster;
let spark: Session;
/** How long an undisturbed run takes, to place the fixed-delay kills within a job. */
let baselineMs: number;

beforeAll(async () => {
  data = await generatedTpch(SF, 'quire-lost-output-');
  expected = await data.reference.query(tpchQuery(QUERY));
  scratch = mkdtempSync(join(tmpdir(), 'quire-lost-output-cluster-'));
  cluster = await startCluster({ core: CORE, scratchDir: join(scratch, 'cluster'), threadsPerWorker: 1 });
  spark = await Session.start({ cluster: cluster.url, scratchDir: join(scratch, 'session'), targetSplitBytes: 64 * 1024 });
  for (const table of TPCH_TABLES) (await spark.read.parquet(join(data.dir, table))).createOrReplaceTempView(table);
  const started = Date.now();
  expect(compareInOrder(await (await spark.sql(tpchQuery(QUERY))).collect(), expected).difference ?? 'same rows').toBe('same rows');
  baselineMs = Date.now() - started;
}, 60_000);

afterAll(async () => {
  await spark?.stop();
  await cluster?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
  data?.remove();
});

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

const fullStrength = () => waitFor('every core worker in service', async () => {
  const status: ClusterStatus = await cluster.status();
  // A worker killed by the previous run can still be listed until the master sees its exit.
  const ready = status.workers.filter((w) => w.role === 'core' && (w.state === 'idle' || w.state === 'busy') && w.pid !== undefined && isAlive(w.pid));
  return ready.length === CORE && status.workers.every((w) => w.state !== 'starting') ? ready : undefined;
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Submits Q18, SIGKILLs the first core worker once `trigger` resolves, and returns the answer. */
async function q18KillingCoreWorker(trigger: (jobDone: () => boolean) => Promise<void>): Promise<ResultRow[]> {
  const [victim] = await fullStrength();
  const answer = (await spark.sql(tpchQuery(QUERY))).collect();
  let done = false;
  answer.then(() => (done = true), () => (done = true));
  await trigger(() => done);
  try {
    if (!done) process.kill(victim!.pid!, 'SIGKILL');
  } catch (error) {
    // Already gone (the pool can retire a worker between the status read and the kill): the answer must still be right.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
  return answer;
}

const afterDelay = (fraction: number) => () => new Promise<void>((resolve) => setTimeout(resolve, Math.round(baselineMs * fraction)));

/** Once the job's last stage (the result stage) has started a task, or has finished one. */
const onceResultStage = (what: 'started' | 'finishedOne') => (jobDone: () => boolean) => waitFor(`the result stage: ${what}`, async () => {
  if (jobDone()) return true;
  const job = (await cluster.status()).jobs.find((j) => j.state === 'running');
  if (!job) return undefined;
  const { tasks } = job.progress.stages.at(-1)!;
  return (what === 'started' ? tasks.running + tasks.done : tasks.done) > 0 ? true : undefined;
}).then(() => undefined);

async function expectDuckDbAnswer(rows: ResultRow[]): Promise<void> {
  expect(rows.length, 'rows of the answer').toBe(expected.length);
  expect(compareInOrder(rows, expected).difference ?? 'same rows').toBe('same rows');
}

describe('Q18 with a core worker SIGKILLed at a fixed delay after submission', () => {
  it.each([0.2, 0.4, 0.6, 0.8, 0.9, 0.97])('killed at %f of an undisturbed run answers what DuckDB answers', async (fraction) => {
    await expectDuckDbAnswer(await q18KillingCoreWorker(afterDelay(fraction)));
  }, 30_000);

  // Late kills are where lost outputs below a finished result stage were dropped: repeat them.
  it.each([1, 2, 3, 4])('killed once the result stage started (run %i) answers what DuckDB answers', async () => {
    await expectDuckDbAnswer(await q18KillingCoreWorker(onceResultStage('started')));
  }, 30_000);

  it.each([1, 2, 3, 4])('killed once a result partition was computed (run %i) answers what DuckDB answers', async () => {
    await expectDuckDbAnswer(await q18KillingCoreWorker(onceResultStage('finishedOne')));
  }, 30_000);
});
