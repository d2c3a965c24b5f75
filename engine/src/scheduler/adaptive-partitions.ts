/**
 * Re-plans a stage from what its upstream stages really wrote, as Spark's adaptive execution
 * coalesces shuffle partitions. The planner must pick partition counts before any data exists; at
 * run time a shuffle of 4 rows into 4 partitions costs 4 tasks, and a range exchange of 7 rows a
 * sampling round, for nothing. Two rewrites, both leaving every answer unchanged:
 *
 * - A stage whose per-task inputs are all hash/range exchange partitions, and whose upstream output
 *   is small, runs as fewer tasks, each reading a contiguous run of the original partitions. Every
 *   operator a stage runs per partition (final aggregation, hash join, per-range sort, partial
 *   top-N) gives the same rows over a union of whole partitions: keys never span partitions, and a
 *   contiguous run of range partitions is itself a range.
 * - A small range exchange skips sampling: partition 0 gets every row and the others none, which
 *   is a valid range partitioning (all keys of partition 0 sort before the empty rest).
 */
import type { TaskInput } from '../physical/types.js';
import type { Job, StageRecord, TaskRecord } from './job.js';

/** About how many bytes of exchange input (compressed Parquet) one coalesced task reads. */
export const COALESCE_TARGET_BYTES = 8 * 1024 * 1024;

type ExchangeInput = Extract<TaskInput, { kind: 'exchange' }>;

/** Bytes a finished stage wrote, over all its tasks. */
function stageBytesOut(stage: StageRecord): number {
  return stage.tasks.reduce((sum, t) => sum + (t.metrics?.bytesOut ?? 0), 0);
}

/**
 * For a range stage whose tasks are all done and whose output is small, the filters that send every
 * row to partition 0; undefined when its bounds should be sampled as usual.
 */
export function trivialRangeFilters(stage: StageRecord, targetBytes = COALESCE_TARGET_BYTES): string[] | undefined {
  const output = stage.plan.output;
  if (output.kind !== 'range' || stage.bounds?.state !== 'pending') return undefined;
  if (!stage.tasks.every((t) => t.state === 'done') || stageBytesOut(stage) > targetBytes) return undefined;
  return Array.from({ length: output.partitions }, (_, p) => (p === 0 ? 'true' : 'false'));
}

/**
 * Replaces the tasks of a stage that has not started, whose dependencies are all complete, by fewer
 * tasks when its exchange input is small. Returns the new task count, or undefined when the stage
 * keeps its tasks.
 */
export function coalesceSmallStage(job: Job, stage: StageRecord, targetBytes = COALESCE_TARGET_BYTES): number | undefined {
  const tasks = stage.tasks;
  if (tasks.length < 2 || stage.startedAt || tasks.some((t) => t.state !== 'pending' || t.startedAttempts > 0)) return undefined;
  const varying = varyingExchangeInputs(job, tasks);
  if (!varying) return undefined;
  const bytes = [...varying].reduce((sum, index) => {
    const upstream = job.stages.get((tasks[0]!.inputs[index] as ExchangeInput).stageId)!;
    return sum + stageBytesOut(upstream);
  }, 0);
  const groups = Math.max(1, Math.ceil(bytes / targetBytes));
  if (groups >= tasks.length) return undefined;
  const ordered = [...tasks].sort((a, b) => a.partition - b.partition);
  stage.tasks = Array.from({ length: groups }, (_, group) => {
    const members = ordered.slice(Math.floor((group * ordered.length) / groups), Math.floor(((group + 1) * ordered.length) / groups));
    return mergeTasks(group, members, varying);
  });
  return groups;
}

/**
 * Indexes of the inputs that differ between tasks, when every one of them is an exchange read by
 * explicit partitions and every other input is the same for all tasks; undefined otherwise (file
 * splits, or task inputs of different shapes, cannot be merged this way).
 */
function varyingExchangeInputs(job: Job, tasks: TaskRecord[]): Set<number> | undefined {
  const first = tasks[0]!.inputs;
  const varying = new Set<number>();
  for (const task of tasks) {
    if (task.inputs.length !== first.length) return undefined;
    task.inputs.forEach((input, index) => {
      if (JSON.stringify(input) !== JSON.stringify(first[index])) varying.add(index);
    });
  }
  for (const index of varying) {
    for (const task of tasks) {
      const input = task.inputs[index]!;
      if (input.kind !== 'exchange' || input.partitions === 'all' || input.name !== first[index]!.name) return undefined;
      const kind = job.stages.get(input.stageId)?.plan.output.kind;
      if (kind !== 'hash' && kind !== 'range') return undefined;
    }
  }
  // Tasks that read exactly the same inputs would each produce the same rows: merging them would drop copies.
  return varying.size > 0 ? varying : undefined;
}

function mergeTasks(partition: number, members: TaskRecord[], varying: Set<number>): TaskRecord {
  const inputs = members[0]!.inputs.map((input, index): TaskInput => {
    if (!varying.has(index)) return input;
    const partitions = members.flatMap((m) => (m.inputs[index] as ExchangeInput).partitions as number[]);
    return { ...(input as ExchangeInput), partitions };
  });
  return { partition, inputs, state: 'pending', failedAttempts: 0, startedAttempts: 0, lostCount: 0, triedOn: [] };
}
