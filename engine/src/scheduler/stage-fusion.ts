/**
 * Runs a small stage inside the task of the one stage that reads it. A job often ends in a chain of
 * one-task stages over a few rows (final aggregate -> range exchange -> sort -> result), and each
 * link costs a task dispatch, a Parquet file written and read back, and for a range exchange a
 * sampling round, all on the job's critical path. When a stage is about to run as one task over
 * little input, and the stage reading it can run as one task too, that task computes the upstream
 * stage's rows itself: the upstream SQL becomes a view, named as the consumer's input, over the
 * upstream task's own inputs.
 *
 * The rows are the same. The consumer's tasks together read every partition of the fused stage,
 * and one task reading every partition of its exchange inputs gives the rows its tasks gave
 * together (the argument of adaptive-partitions.ts). Only the consumer's parallelism changes, which
 * is why the fused stage's input must be small: its exchange inputs wrote at most `inputBytesLimit`.
 *
 * A broadcast stage (a scalar subquery's final aggregate, a small build side) is read whole by every
 * task of its consumer: there each task computes it, and the consumer keeps its tasks. The work is
 * then done once per task, so the input must be smaller still (`REPLICATED_INPUT_BYTES`).
 */
import type { StageView, TaskInput } from '../physical/types.js';
import { COALESCE_TARGET_BYTES } from './adaptive-partitions.js';
import type { Job, StageRecord, TaskRecord } from './job.js';

/** The most exchange bytes a broadcast stage computed again in each task of its consumer may read. */
export const REPLICATED_INPUT_BYTES = 1024 * 1024;

type ExchangeInput = Extract<TaskInput, { kind: 'exchange' }>;

/** Fuses every stage of the job that can be, chains included; returns how many were fused. */
export function fuseSmallStages(job: Job, inputBytesLimit = COALESCE_TARGET_BYTES): number {
  let fused = 0;
  for (let changed = true; changed;) {
    changed = false;
    for (const stage of job.stages.values()) {
      if (fuseIntoConsumer(job, stage, inputBytesLimit)) {
        fused++;
        changed = true;
      }
    }
  }
  return fused;
}

function fuseIntoConsumer(job: Job, stage: StageRecord, inputBytesLimit: number): boolean {
  const task = stage.tasks[0];
  if (!task || stage.tasks.length !== 1 || !notStarted(stage) || !stage.plan.dependsOn.every((d) => job.stageComplete(d))) return false;
  const kind = stage.plan.output.kind;
  if (kind !== 'hash' && kind !== 'range' && kind !== 'gather' && kind !== 'broadcast') return false;
  if (!task.inputs.every((input) => input.kind === 'exchange' || input.kind === 'values')) return false;
  const inputBytes = exchangeBytesRead(job, task);
  if (inputBytes > inputBytesLimit) return false;

  const consumers = job.consumersOf(stage.plan.id);
  const consumer = consumers[0];
  if (consumers.length !== 1 || !consumer || !notStarted(consumer)) return false;
  if (!consumer.plan.dependsOn.every((d) => d === stage.plan.id || job.stageComplete(d))) return false;
  const merged = consumerAsOneTask(consumer, stage) ?? (inputBytes <= REPLICATED_INPUT_BYTES ? everyTaskReadsWhole(consumer, stage) : undefined);
  if (!merged) return false;

  const views: StageView[] = [...(stage.plan.views ?? []), { name: merged.readsStageAs, sql: stage.plan.sql }, ...(consumer.plan.views ?? [])];
  const tasks = merged.tasks.map(({ partition, otherInputs }) => ({ partition, inputs: [...task.inputs, ...otherInputs] }));
  if (!tasks.every(({ inputs }) => distinct([...inputs.map((i) => i.name), ...views.map((v) => v.name)]))) return false;

  consumer.plan = {
    ...consumer.plan,
    dependsOn: [...new Set([...consumer.plan.dependsOn.filter((d) => d !== stage.plan.id), ...stage.plan.dependsOn])],
    views,
  };
  consumer.tasks = tasks.map(({ partition, inputs }) => ({ partition, inputs, state: 'pending', failedAttempts: 0, startedAttempts: 0, lostCount: 0, triedOn: [] }));

  const now = new Date();
  task.state = 'done';
  task.metrics = { rowsOut: 0, bytesOut: 0 };
  if (stage.bounds) stage.bounds = { ...stage.bounds, state: 'done', filters: [] };
  stage.fusedInto = consumer.plan.id;
  stage.startedAt = now;
  stage.finishedAt = now;
  job.record({ event: 'stageFused', stageId: stage.plan.id, intoStageId: consumer.plan.id });
  return true;
}

function notStarted(stage: StageRecord): boolean {
  return !stage.startedAt && stage.tasks.every((t) => t.state === 'pending' && t.startedAttempts === 0);
}

/** Bytes written by the stages a task reads through exchanges (whole stages: an upper bound). */
function exchangeBytesRead(job: Job, task: TaskRecord): number {
  const upstream = new Set(task.inputs.filter((i): i is ExchangeInput => i.kind === 'exchange').map((i) => i.stageId));
  let bytes = 0;
  for (const id of upstream) for (const t of job.stages.get(id)?.tasks ?? []) bytes += t.metrics?.bytesOut ?? 0;
  return bytes;
}

/** How the consumer's tasks read the fused stage (`readsStageAs`), and each task's other inputs. */
interface Merged {
  readsStageAs: string;
  tasks: { partition: number; otherInputs: TaskInput[] }[];
}

const readsOf = (t: TaskRecord, stage: StageRecord) => t.inputs.filter((i): i is ExchangeInput => i.kind === 'exchange' && i.stageId === stage.plan.id);

/**
 * The consumer as one task: possible when every task reads the stage through one input of the same
 * name, together reading all its partitions, and reads everything else identically (as a broadcast).
 */
function consumerAsOneTask(consumer: StageRecord, stage: StageRecord): Merged | undefined {
  const first = consumer.tasks[0];
  if (!first) return undefined;
  const name = readsOf(first, stage)[0]?.name;
  if (name === undefined) return undefined;
  const othersOf = (t: TaskRecord) => JSON.stringify(t.inputs.filter((i) => !(i.kind === 'exchange' && i.stageId === stage.plan.id)));
  const others = othersOf(first);
  const partitions = new Set<number>();
  let readsAll = false;
  for (const t of consumer.tasks) {
    const reads = readsOf(t, stage);
    if (reads.length !== 1 || reads[0]!.name !== name || othersOf(t) !== others) return undefined;
    if (reads[0]!.partitions === 'all') readsAll = true;
    else for (const p of reads[0]!.partitions) partitions.add(p);
  }
  const output = stage.plan.output;
  const count = output.kind === 'hash' || output.kind === 'range' ? output.partitions : 1;
  // Tasks that all read the whole stage and the same rest would each give the same rows.
  if (readsAll ? consumer.tasks.length !== 1 : partitions.size !== count) return undefined;
  return { readsStageAs: name, tasks: [{ partition: 0, otherInputs: JSON.parse(others) as TaskInput[] }] };
}

/** The consumer's tasks as they are, each computing a broadcast stage it reads whole under one name. */
function everyTaskReadsWhole(consumer: StageRecord, stage: StageRecord): Merged | undefined {
  if (stage.plan.output.kind !== 'broadcast') return undefined;
  const name = consumer.tasks[0] && readsOf(consumer.tasks[0], stage)[0]?.name;
  if (name === undefined) return undefined;
  const tasks: Merged['tasks'] = [];
  for (const t of consumer.tasks) {
    const reads = readsOf(t, stage);
    if (reads.length !== 1 || reads[0]!.name !== name || reads[0]!.partitions !== 'all') return undefined;
    tasks.push({ partition: t.partition, otherInputs: t.inputs.filter((i) => i !== reads[0]) });
  }
  return { readsStageAs: name, tasks };
}

function distinct(names: string[]): boolean {
  return new Set(names).size === names.length;
}
