import { describe, expect, test } from 'vitest';
import type { TaskInput } from '../physical/types.js';
import { coalesceSmallStage, trivialRangeFilters } from './adaptive-partitions.js';
import type { StageRecord } from './job.js';
import { MiB, exchange, finish, hash, job, range, schema, stage } from './job-records.test-util.js';

const fourScanTasks: TaskInput[][] = [0, 1, 2, 3].map((i) => [{ kind: 'files', name: 'in', format: 'parquet', files: [{ path: `/f${i}` }], schema }]);
const partitionsOf = (record: StageRecord, input = 0) => record.tasks.map((t) => (t.inputs[input] as { partitions: unknown }).partitions);

describe('coalescing a stage whose exchange input turned out small', () => {
  test('a hash join reading two small shuffles runs as one task reading every partition of both, in order', () => {
    const j = job([
      stage(0, [], hash, fourScanTasks),
      stage(1, [], hash, fourScanTasks),
      stage(2, [0, 1], { kind: 'result' }, [0, 1, 2, 3].map((p) => [exchange(0, [p]), exchange(1, [p])])),
    ]);
    finish(j.stages.get(0)!, 1000);
    finish(j.stages.get(1)!, 2000);
    expect(coalesceSmallStage(j, j.stages.get(2)!)).toBe(1);
    expect(partitionsOf(j.stages.get(2)!, 0)).toEqual([[0, 1, 2, 3]]);
    expect(partitionsOf(j.stages.get(2)!, 1)).toEqual([[0, 1, 2, 3]]);
    expect(j.stages.get(2)!.tasks[0]).toMatchObject({ partition: 0, state: 'pending', startedAttempts: 0 });
  });

  test('a larger input keeps enough tasks for its size, each a contiguous run of partitions', () => {
    const j = job([stage(0, [], range, fourScanTasks), stage(1, [0], { kind: 'result' }, [0, 1, 2, 3].map((p) => [exchange(0, [p])]))]);
    finish(j.stages.get(0)!, 3 * MiB);
    expect(coalesceSmallStage(j, j.stages.get(1)!, 8 * MiB)).toBe(2);
    expect(partitionsOf(j.stages.get(1)!)).toEqual([[0, 1], [2, 3]]);
  });

  test('an input as large as the target per task leaves the stage as planned', () => {
    const j = job([stage(0, [], hash, fourScanTasks), stage(1, [0], { kind: 'result' }, [0, 1, 2, 3].map((p) => [exchange(0, [p])]))]);
    finish(j.stages.get(0)!, 8 * MiB);
    expect(coalesceSmallStage(j, j.stages.get(1)!, 8 * MiB)).toBeUndefined();
    expect(partitionsOf(j.stages.get(1)!)).toEqual([[0], [1], [2], [3]]);
  });

  test('a broadcast read by every task of a scan is not merged: the scan splits differ per task', () => {
    const j = job([
      stage(0, [], { kind: 'broadcast' }, [[]]),
      stage(1, [0], { kind: 'result' }, fourScanTasks.map((inputs) => [...inputs, exchange(0, 'all')])),
    ]);
    finish(j.stages.get(0)!, 10);
    expect(coalesceSmallStage(j, j.stages.get(1)!)).toBeUndefined();
    expect(j.stages.get(1)!.tasks).toHaveLength(4);
  });

  test('a small shuffle joined with a broadcast merges the shuffle partitions and keeps the broadcast whole', () => {
    const j = job([
      stage(0, [], hash, fourScanTasks),
      stage(1, [], { kind: 'broadcast' }, [[]]),
      stage(2, [0, 1], { kind: 'result' }, [0, 1, 2, 3].map((p) => [exchange(0, [p]), exchange(1, 'all')])),
    ]);
    finish(j.stages.get(0)!, 100);
    finish(j.stages.get(1)!, 100);
    expect(coalesceSmallStage(j, j.stages.get(2)!)).toBe(1);
    expect(partitionsOf(j.stages.get(2)!, 1)).toEqual(['all']);
  });

  test('a stage that already ran (lineage recovery) keeps its tasks', () => {
    const j = job([stage(0, [], hash, fourScanTasks), stage(1, [0], { kind: 'result' }, [0, 1, 2, 3].map((p) => [exchange(0, [p])]))]);
    finish(j.stages.get(0)!, 10);
    j.stages.get(1)!.tasks[2]!.startedAttempts = 1;
    expect(coalesceSmallStage(j, j.stages.get(1)!)).toBeUndefined();
  });
});

describe('skipping the sampling of a small range exchange', () => {
  test('every row goes to partition 0 and none elsewhere, which is a valid range partitioning', () => {
    const j = job([stage(0, [], range, fourScanTasks), stage(1, [0], { kind: 'result' }, [0, 1, 2, 3].map((p) => [exchange(0, [p])]))]);
    const ranged = j.stages.get(0)!;
    expect(trivialRangeFilters(ranged)).toBeUndefined(); // tasks not done yet
    finish(ranged, 500);
    expect(trivialRangeFilters(ranged)).toEqual(['true', 'false', 'false', 'false']);
  });

  test('a large range exchange is sampled as planned', () => {
    const j = job([stage(0, [], range, fourScanTasks), stage(1, [0], { kind: 'result' }, [0, 1, 2, 3].map((p) => [exchange(0, [p])]))]);
    finish(j.stages.get(0)!, 4 * MiB);
    expect(trivialRangeFilters(j.stages.get(0)!, 8 * MiB)).toBeUndefined();
  });
});
