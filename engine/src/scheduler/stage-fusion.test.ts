import { describe, expect, test } from 'vitest';
import type { TaskInput } from '../physical/types.js';
import { coalesceSmallStage } from './adaptive-partitions.js';
import { MiB, exchange, finish, hash, job, range, schema, stage as stagePlan } from './job-records.test-util.js';
import type { Job } from './job.js';
import { fuseSmallStages } from './stage-fusion.js';

/** A stage whose SQL reads its first dependency (or its files). */
const stage = (id: number, dependsOn: number[], output: Parameters<typeof stagePlan>[2], tasks: TaskInput[][], sql = `SELECT * FROM in${dependsOn[0] ?? 'f'}`) =>
  stagePlan(id, dependsOn, output, tasks, sql);
const file = (i: number): TaskInput => ({ kind: 'files', name: 'inf', format: 'parquet', files: [{ path: `/f${i}` }], schema });
const fourScanTasks: TaskInput[][] = [0, 1, 2, 3].map((i) => [file(i)]);
const byPartition = (stageId: number) => [0, 1, 2, 3].map((p) => [exchange(stageId, [p])]);

/** scan -> hash -> final aggregate -> range -> sort -> result, with the scan done and its output small. */
function aggregateThenSort(scanBytesPerTask: number): Job {
  const j = job([
    stage(0, [], hash, fourScanTasks, 'SELECT k, count(*) AS c FROM inf GROUP BY k'),
    stage(1, [0], range, byPartition(0), 'SELECT k, sum(c) AS c FROM in0 GROUP BY k'),
    stage(2, [1], { kind: 'result' }, byPartition(1), 'SELECT * FROM in1 ORDER BY k'),
  ]);
  finish(j.stages.get(0)!, scanBytesPerTask);
  coalesceSmallStage(j, j.stages.get(1)!);
  return j;
}

describe('running a small one-task stage inside its consumer', () => {
  test('a final aggregate over a small shuffle becomes a view in the sort task, which reads what the aggregate read', () => {
    const j = aggregateThenSort(1000);
    expect(fuseSmallStages(j)).toBe(1);
    const [aggregate, sort] = [j.stages.get(1)!, j.stages.get(2)!];
    expect(aggregate.fusedInto).toBe(2);
    expect(j.stageComplete(1)).toBe(true);
    expect(sort.plan.dependsOn).toEqual([0]);
    expect(sort.plan.views).toEqual([{ name: 'in1', sql: 'SELECT k, sum(c) AS c FROM in0 GROUP BY k' }]);
    expect(sort.tasks).toHaveLength(1);
    expect(sort.tasks[0]!.inputs).toEqual([exchange(0, [0, 1, 2, 3])]);
    expect(j.runnableStages().map((s) => s.plan.id)).toEqual([2]);
    expect(j.log.at(-1)).toMatchObject({ event: 'stageFused', stageId: 1, intoStageId: 2 });
  });

  test('a chain of one-task stages folds into the last, views in the order they build on each other', () => {
    const j = job([
      stage(0, [], hash, fourScanTasks),
      stage(1, [0], hash, byPartition(0), 'SELECT 1 AS a FROM in0'),
      stage(2, [1], { kind: 'gather' }, byPartition(1), 'SELECT 2 AS b FROM in1'),
      stage(3, [2], { kind: 'result' }, [[exchange(2, 'all')]], 'SELECT 3 FROM in2'),
    ]);
    finish(j.stages.get(0)!, 100);
    coalesceSmallStage(j, j.stages.get(1)!);
    expect(fuseSmallStages(j)).toBe(2);
    const last = j.stages.get(3)!;
    expect(last.plan.views?.map((v) => v.name)).toEqual(['in1', 'in2']);
    expect(last.plan.dependsOn).toEqual([0]);
    expect(last.tasks[0]!.inputs).toEqual([exchange(0, [0, 1, 2, 3])]);
  });

  test('a stage whose input is large keeps running on its own, so its consumer keeps its tasks', () => {
    const j = job([
      stage(0, [], hash, fourScanTasks),
      stage(1, [0], range, [[exchange(0, [0, 1, 2, 3])]]),
      stage(2, [1], { kind: 'result' }, byPartition(1)),
    ]);
    finish(j.stages.get(0)!, 3 * MiB);
    expect(fuseSmallStages(j, 8 * MiB)).toBe(0);
    expect(j.stages.get(2)!.tasks).toHaveLength(4);
  });

  test('a stage with several tasks, one reading files, or one whose inputs are not complete is not fused', () => {
    const several = job([stage(0, [], hash, fourScanTasks), stage(1, [0], { kind: 'result' }, byPartition(0))]);
    const scan = job([stage(0, [], { kind: 'gather' }, [[file(0)]]), stage(1, [0], { kind: 'result' }, [[exchange(0, 'all')]])]);
    const waiting = aggregateThenSort(1000);
    waiting.stages.get(0)!.tasks[0]!.state = 'running';
    for (const j of [several, scan, waiting]) expect(fuseSmallStages(j)).toBe(0);
  });

  test('a consumer whose tasks also read a large shuffle by partition keeps its tasks', () => {
    const j = job([
      stage(0, [], hash, fourScanTasks),
      stage(1, [0], hash, [[exchange(0, [0, 1, 2, 3])]]),
      stage(2, [], hash, fourScanTasks),
      stage(3, [1, 2], { kind: 'result' }, [0, 1, 2, 3].map((p) => [exchange(1, [p]), exchange(2, [p])])),
    ]);
    finish(j.stages.get(0)!, 100);
    finish(j.stages.get(2)!, 100 * MiB);
    expect(fuseSmallStages(j)).toBe(0);
  });

  test('a consumer reading the stage with a broadcast input besides keeps that input and reads it once', () => {
    const j = job([
      stage(0, [], hash, fourScanTasks),
      stage(1, [0], range, [[exchange(0, [0, 1, 2, 3])]]),
      stage(2, [], { kind: 'broadcast' }, [[file(9)]]),
      stage(3, [1, 2], { kind: 'result' }, [0, 1, 2, 3].map((p) => [exchange(1, [p]), exchange(2, 'all')])),
    ]);
    finish(j.stages.get(0)!, 100);
    finish(j.stages.get(2)!, 100);
    expect(fuseSmallStages(j)).toBe(1);
    expect(j.stages.get(3)!.tasks.map((t) => t.inputs)).toEqual([[exchange(0, [0, 1, 2, 3]), exchange(2, 'all')]]);
    expect(j.stages.get(3)!.plan.dependsOn).toEqual([2, 0]);
  });

  test('a small broadcast stage is computed by every task of its consumer, which keeps its tasks', () => {
    const scalarThenJoin = (partialBytesPerTask: number) => {
      const j = job([
        stage(0, [], hash, fourScanTasks, 'SELECT sum(v) AS s FROM inf'),
        stage(1, [0], { kind: 'broadcast' }, [[exchange(0, [0, 1, 2, 3])]], 'SELECT sum(s) AS total FROM in0'),
        stage(2, [1], { kind: 'result' }, [0, 1, 2, 3].map((i) => [file(i), exchange(1, 'all')]), 'SELECT * FROM inf, in1 WHERE v > total'),
      ]);
      finish(j.stages.get(0)!, partialBytesPerTask);
      return j;
    };
    const j = scalarThenJoin(100);
    expect(fuseSmallStages(j)).toBe(1);
    const consumer = j.stages.get(2)!;
    expect(j.stages.get(1)!.fusedInto).toBe(2);
    expect(consumer.plan.views).toEqual([{ name: 'in1', sql: 'SELECT sum(s) AS total FROM in0' }]);
    expect(consumer.plan.dependsOn).toEqual([0]);
    expect(consumer.tasks.map((t) => [t.partition, t.inputs])).toEqual([0, 1, 2, 3].map((i) => [i, [exchange(0, [0, 1, 2, 3]), file(i)]]));
    // Each task would read 2 MiB again: the stage runs once and is exchanged.
    const large = scalarThenJoin(512 * 1024);
    expect(fuseSmallStages(large)).toBe(0);
    expect(large.stages.get(2)!.tasks[0]!.inputs).toEqual([file(0), exchange(1, 'all')]);
  });

  test('a stage read by two consumers, or twice by one, is not fused', () => {
    const twoConsumers = job([
      stage(0, [], hash, fourScanTasks),
      stage(1, [0], { kind: 'broadcast' }, [[exchange(0, [0, 1, 2, 3])]]),
      stage(2, [1], { kind: 'gather' }, [[exchange(1, 'all')]]),
      stage(3, [1, 2], { kind: 'result' }, [[exchange(1, 'all', 'x'), exchange(2, 'all')]]),
    ]);
    const twice = job([
      stage(0, [], hash, fourScanTasks),
      stage(1, [0], { kind: 'broadcast' }, [[exchange(0, [0, 1, 2, 3])]]),
      stage(2, [1], { kind: 'result' }, [[exchange(1, 'all', 'a'), exchange(1, 'all', 'b')]]),
    ]);
    for (const j of [twoConsumers, twice]) {
      finish(j.stages.get(0)!, 100);
      expect(fuseSmallStages(j)).toBe(0);
    }
  });

  test('an input name the fused task would define twice stops the fusion', () => {
    const j = job([
      stage(0, [], hash, fourScanTasks),
      stage(1, [0], { kind: 'gather' }, [[exchange(0, [0, 1, 2, 3], 'shared')]]),
      stage(2, [1], { kind: 'result' }, [[exchange(1, 'all', 'shared')]]),
    ]);
    finish(j.stages.get(0)!, 100);
    expect(fuseSmallStages(j)).toBe(0);
  });
});
