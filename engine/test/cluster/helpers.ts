/** Shared helpers for the real-process cluster tests: waiting, process checks, raw API calls, slow plans. */
import type { Cluster, JobLogEvent } from '../../src/cluster/index.js';
import type { PhysicalPlan } from '../../src/physical/types.js';
import { schemaOf, stage, valuesInput, exchangeInput } from './plans.js';

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what = 'condition'): Promise<number> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return Date.now() - started;
}

/** A raw call to the master's HTTP API with the cluster's token. */
export async function api(cluster: Cluster, method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }> {
  const url = new URL(cluster.url);
  const response = await fetch(`${url.origin}${path}${url.search}`, {
    method, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}

export async function jobLog(cluster: Cluster, jobId: string): Promise<JobLogEvent[]> {
  return (await cluster.job(jobId)).events;
}

const BOUNDS = schemaOf([['lo', 'BIGINT'], ['hi', 'BIGINT']]);
const PARTIAL = schemaOf([['k', 'BIGINT'], ['c', 'BIGINT'], ['h', 'BIGINT']]);

/**
 * Stage 0: `tasks` tasks, each hashing `perTask` numbers into 10 keys (a hash exchange to 2
 * partitions); stage 1 sums them per key. The expected answer is `expectedRows(tasks * perTask)`.
 */
export function hashingPlan(tasks: number, perTask: number, consumers = 2): PhysicalPlan {
  return {
    stages: [
      stage(0, 'SELECT a % 10 AS k, count(*) AS c, sum(hash(a) % 1000)::BIGINT AS h FROM bounds, range(bounds.lo, bounds.hi) t(a) GROUP BY k',
        { kind: 'hash', keys: ['k'], partitions: consumers },
        Array.from({ length: tasks }, (_, i) => [valuesInput('bounds', { lo: BigInt64Array.from([BigInt(i * perTask)]), hi: BigInt64Array.from([BigInt((i + 1) * perTask)]) }, BOUNDS)]),
        [], PARTIAL),
      stage(1, 'SELECT k, sum(c)::BIGINT AS c, sum(h)::BIGINT AS h FROM partial GROUP BY k ORDER BY k', { kind: 'result' },
        Array.from({ length: consumers }, (_, p) => [exchangeInput('partial', 0, [p], PARTIAL)]), [0], PARTIAL),
    ],
    resultStageId: 1,
    schema: PARTIAL,
  };
}

export function hashingAnswer(total: number): string {
  return `SELECT a % 10 AS k, count(*)::BIGINT, sum(hash(a) % 1000)::BIGINT FROM range(${total}) t(a) GROUP BY k ORDER BY k`;
}

export function rowsOfResult(result: Awaited<ReturnType<Cluster['runJob']>>): unknown[][] {
  if (!('table' in result)) throw new Error('expected a table');
  return result.table.toArray().map((r) => [r.k, r.c, r.h]).sort((a, b) => Number(a[0]) - Number(b[0]));
}

/** A one-stage job that runs until cancelled (or for a very long time). */
export function endlessPlan(tasks = 1): PhysicalPlan {
  const one = schemaOf([['x', 'INTEGER']]);
  return {
    stages: [stage(0, 'SELECT count(*)::INTEGER AS x FROM t, range(1000000000000) r(a) WHERE a % 7 = t.x', { kind: 'result' },
      Array.from({ length: tasks }, () => [valuesInput('t', { x: Int32Array.from([3]) }, one)]))],
    resultStageId: 0,
    schema: one,
  };
}
