/** Adaptive partitioning on a real two-worker cluster: small shuffles run as fewer tasks, with the same answers. */
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { Table } from 'apache-arrow';
import { startCluster, type JobResult } from '../../src/cluster/index.js';
import type { PhysicalPlan } from '../../src/physical/types.js';
import { AIRPORTS_CSV, exchangeInput, filesInput, schemaOf, stage } from './plans.js';
import { clusterPerFile } from './fixture.js';

const fixture = clusterPerFile('adaptive', { workers: 2, threadsPerWorker: 1, memoryPerWorker: '512MB' });

const rowsOf = (result: JobResult) => {
  if (!('table' in result)) throw new Error('expected a result table');
  return (result.table as Table).toArray().map((row) => ({ ...row.toJSON() }));
};

/** The airports CSV cut into three scan tasks by a filter on the row's hash, so every stage has several tasks. */
const scans = () => [0, 1, 2].map((i) => [filesInput('airports', [{ path: AIRPORTS_CSV }], 'csv')].map((input) => ({ ...input, filterSql: `hash(iata) % 3 = ${i}` })));

/** Airports counted by state: partial counts per scan task, shuffled by state into 4 partitions, summed. */
function countByStatePlan(): PhysicalPlan {
  const partial = schemaOf([['state', 'VARCHAR'], ['n', 'BIGINT']]);
  return {
    stages: [
      stage(0, 'SELECT state, count(*) AS n FROM airports GROUP BY state', { kind: 'hash', keys: ['state'], partitions: 4 }, scans(), [], partial),
      stage(1, 'SELECT state, sum(n)::BIGINT AS n FROM partial GROUP BY state', { kind: 'result' }, [0, 1, 2, 3].map((p) => [exchangeInput('partial', 0, [p], partial)]), [0], partial),
    ],
    resultStageId: 1,
    schema: partial,
  };
}

async function tasksPerStage(jobId: string): Promise<Record<number, number>> {
  const detail = await fixture.cluster.job(jobId);
  const counts: Record<number, number> = {};
  for (const e of detail.events) if (e.event === 'taskSucceeded') counts[e.stageId!] = (counts[e.stageId!] ?? 0) + 1;
  return counts;
}

describe('adaptive partitioning', () => {
  test('a small hash shuffle is read by one task instead of four; the aggregate is unchanged', async () => {
    const result = await fixture.cluster.runJob(countByStatePlan());
    const expected = await fixture.reference.rows(`SELECT state, count(*)::BIGINT FROM read_csv('${AIRPORTS_CSV}') GROUP BY state ORDER BY state`);
    expect(rowsOf(result).map((r) => [r.state, r.n]).sort((a, b) => String(a[0]).localeCompare(String(b[0])))).toEqual(expected.map(([s, n]) => [s, BigInt(n as number)]));
    expect(await tasksPerStage(result.jobId)).toEqual({ 0: 3, 1: 1 });
  });

  test('a small range exchange is not sampled: one sorting task returns the global order', async () => {
    const rows = schemaOf([['iata', 'VARCHAR'], ['latitude', 'DOUBLE']]);
    const plan: PhysicalPlan = {
      stages: [
        stage(0, 'SELECT iata, latitude FROM airports', { kind: 'range', keys: [{ sql: 'latitude', ascending: false, nullsFirst: false }, { sql: 'iata', ascending: true, nullsFirst: true }], partitions: 4 }, scans(), [], rows),
        stage(1, 'SELECT * FROM sorted ORDER BY latitude DESC NULLS LAST, iata ASC NULLS FIRST', { kind: 'result' }, [0, 1, 2, 3].map((p) => [exchangeInput('sorted', 0, [p], rows)]), [0], rows),
      ],
      resultStageId: 1,
      schema: rows,
    };
    const result = await fixture.cluster.runJob(plan);
    const expected = await fixture.reference.rows(`SELECT iata, latitude FROM read_csv('${AIRPORTS_CSV}') ORDER BY 2 DESC NULLS LAST, 1`);
    expect(rowsOf(result).map((r) => [r.iata, r.latitude])).toEqual(expected);
    expect(await tasksPerStage(result.jobId)).toEqual({ 0: 3, 1: 1 });
  });

  test('a shuffle larger than the target keeps a task per target size', async () => {
    const small = await startCluster({ workers: 2, scratchDir: join(fixture.dir, 'tiny-target'), threadsPerWorker: 1, adaptivePartitionBytes: 1 });
    try {
      const result = await small.runJob(countByStatePlan());
      expect(rowsOf(result)).toHaveLength((await fixture.reference.rows(`SELECT DISTINCT state FROM read_csv('${AIRPORTS_CSV}')`)).length);
      const detail = await small.job(result.jobId);
      expect(detail.events.filter((e) => e.event === 'taskSucceeded' && e.stageId === 1)).toHaveLength(4);
    } finally {
      await small.stop();
    }
  });

  test('a negative target is refused, naming the option', async () => {
    await expect(startCluster({ workers: 1, scratchDir: join(fixture.dir, 'bad'), adaptivePartitionBytes: -1 })).rejects.toThrow(/adaptivePartitionBytes must be a non-negative integer/);
  });
});
