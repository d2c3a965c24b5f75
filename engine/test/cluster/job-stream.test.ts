/**
 * A job submitted on the stream that carries its events, on a real two-worker cluster: a small
 * result comes inline and the job is released, a large one is fetched by partition, closing the
 * stream cancels the job; and small one-task stages run inside the task that reads them.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { INLINE_RESULT_BYTES, type JobEvent } from '../../src/cluster/protocol.js';
import type { PhysicalPlan } from '../../src/physical/types.js';
import { endlessPlan, hashingAnswer, hashingPlan, jobLog, rowsOfResult, waitUntil } from './helpers.js';
import { exchangeInput, schemaOf, stage, valuesInput } from './plans.js';
import { clusterPerFile } from './fixture.js';

const fixture = clusterPerFile('job-stream', { workers: 2, threadsPerWorker: 1, memoryPerWorker: '512MB' });

/** Submits with `?follow=1` and reads the SSE stream to its end (or until `stopAfter` says so, then aborts). */
async function submitAndFollow(plan: PhysicalPlan, stopAfter?: (event: JobEvent) => boolean): Promise<JobEvent[]> {
  const url = new URL(fixture.cluster.url);
  const abort = new AbortController();
  const response = await fetch(`${url.origin}/api/jobs${url.search}&follow=1`, {
    method: 'POST', body: JSON.stringify({ plan }), headers: { 'content-type': 'application/json' }, signal: abort.signal,
  });
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const events: JobEvent[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body!) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (!name || data === undefined) continue;
        const event = { event: name, data: JSON.parse(data) } as JobEvent;
        events.push(event);
        if (stopAfter?.(event)) {
          abort.abort();
          return events;
        }
      }
    }
  } catch (error) {
    if (!abort.signal.aborted) throw error;
  }
  return events;
}

const jobDirs = (jobId: string) => readdirSync(join(fixture.dir, 'cluster', 'workers')).filter((w) => existsSync(join(fixture.dir, 'cluster', 'workers', w, 'jobs', jobId)));

/** One stage of `rows` rows of `width` characters each, in four result partitions. */
function widePlan(rows: number, width: number): PhysicalPlan {
  const out = schemaOf([['s', 'VARCHAR']]);
  const tasks = [0, 1, 2, 3].map((p) => [valuesInput('t', { p: Int32Array.from([p]) }, schemaOf([['p', 'INTEGER']]))]);
  return {
    stages: [stage(0, `SELECT repeat('x', ${width}) || (i * 4 + t.p) AS s FROM t, range(${rows / 4}) r(i)`, { kind: 'result' }, tasks, [], out)],
    resultStageId: 0,
    schema: out,
  };
}

describe('a job followed on the stream it was submitted on', () => {
  test('starts with submitted and ends with a small result inline; the job is released at once', async () => {
    const events = await submitAndFollow(hashingPlan(3, 1000));
    expect(events[0]!.event).toBe('submitted');
    const last = events.at(-1)!;
    expect(last.event).toBe('succeeded');
    const outcome = (last as Extract<JobEvent, { event: 'succeeded' }>).data;
    if (outcome.kind !== 'result') throw new Error('expected a result');
    expect(outcome.inline).toHaveLength(outcome.partitions);
    expect(outcome.rowCount).toBe(10);
    const { jobId } = (events[0] as Extract<JobEvent, { event: 'submitted' }>).data;
    await waitUntil(() => jobDirs(jobId).length === 0, 5000, 'the inline job\'s files to be removed');
  });

  test('runJob takes an inline result as it would have fetched it', async () => {
    const result = await fixture.cluster.runJob(hashingPlan(4, 2500));
    expect(rowsOfResult(result)).toEqual((await fixture.reference.rows(hashingAnswer(10_000))).map((r) => r.map((v) => BigInt(v as number))));
  });

  test(`a result over ${INLINE_RESULT_BYTES} bytes is fetched by partition, whole and in order`, async () => {
    const rows = 4000;
    const events = await submitAndFollow(widePlan(rows, 400));
    const outcome = (events.at(-1) as Extract<JobEvent, { event: 'succeeded' }>).data;
    expect(outcome).toMatchObject({ kind: 'result', partitions: 4, rowCount: rows });
    expect('inline' in outcome).toBe(false);
    const result = await fixture.cluster.runJob(widePlan(rows, 400));
    if (!('table' in result)) throw new Error('expected a table');
    const numbers = result.table.toArray().map((r) => Number((r.s as string).slice(400)));
    expect(numbers).toHaveLength(rows);
    expect(new Set(numbers).size).toBe(rows);
  });

  test('closing the stream cancels the job: its driver is gone', async () => {
    const events = await submitAndFollow(endlessPlan(2), (event) => event.event === 'progress' && event.data.tasks.running > 0);
    const { jobId } = (events[0] as Extract<JobEvent, { event: 'submitted' }>).data;
    await waitUntil(async () => (await fixture.cluster.job(jobId)).state === 'cancelled', 10_000, 'the job to be cancelled');
    expect((await jobLog(fixture.cluster, jobId)).at(-1)).toMatchObject({ event: 'cancelled', error: expect.stringMatching(/disconnected/) });
  });
});

describe('a small one-task stage runs inside the task reading it', () => {
  test('final aggregate -> range -> sort: one task, the same ordered answer', async () => {
    const partial = schemaOf([['k', 'BIGINT'], ['c', 'BIGINT'], ['h', 'BIGINT']]);
    const base = hashingPlan(3, 1000, 4);
    const plan: PhysicalPlan = {
      stages: [
        base.stages[0]!,
        stage(1, 'SELECT k, sum(c)::BIGINT AS c, sum(h)::BIGINT AS h FROM s0 GROUP BY k',
          { kind: 'range', keys: [{ sql: 'h', ascending: false, nullsFirst: false }], partitions: 4 },
          [0, 1, 2, 3].map((p) => [exchangeInput('s0', 0, [p], partial)]), [0], partial),
        stage(2, 'SELECT * FROM s1 ORDER BY h DESC', { kind: 'result' }, [0, 1, 2, 3].map((p) => [exchangeInput('s1', 1, [p], partial)]), [1], partial),
      ],
      resultStageId: 2,
      schema: partial,
    };
    const result = await fixture.cluster.runJob(plan);
    if (!('table' in result)) throw new Error('expected a table');
    const expected = await fixture.reference.rows(`SELECT k, c, h FROM (${hashingAnswer(3000)}) t(k, c, h) ORDER BY h DESC`);
    expect(result.table.toArray().map((r) => [r.k, r.c, r.h])).toEqual(expected.map((r) => r.map((v) => BigInt(v as number))));
    const log = await jobLog(fixture.cluster, result.jobId);
    expect(log.filter((e) => e.event === 'stageFused')).toEqual([expect.objectContaining({ stageId: 1, intoStageId: 2 })]);
    expect(log.filter((e) => e.event === 'taskSucceeded').map((e) => e.stageId)).toEqual([0, 0, 0, 2]);
    expect((await fixture.cluster.job(result.jobId)).stages.find((s) => s.id === 1)).toMatchObject({ fusedInto: 2 });
  });
});
