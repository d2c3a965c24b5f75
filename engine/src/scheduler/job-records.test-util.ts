/** Physical plans and job records built by hand, for the scheduler's rules that reshape a job's stages. */
import type { Exchange, PhysicalPlan, StagePlan, TaskInput } from '../physical/types.js';
import { Job, type StageRecord } from './job.js';

export const MiB = 1024 * 1024;
export const schema = { fields: [] };

export function stage(id: number, dependsOn: number[], output: Exchange, tasks: TaskInput[][], sql = 'SELECT 1'): StagePlan {
  return { id, dependsOn, sql, schema, description: `s${id}`, output, tasks: tasks.map((inputs, partition) => ({ partition, inputs })) };
}

export const exchange = (stageId: number, partitions: number[] | 'all', name = `in${stageId}`): TaskInput => ({ kind: 'exchange', name, stageId, partitions, schema });
export const hash: Exchange = { kind: 'hash', keys: ['k'], partitions: 4 };
export const range: Exchange = { kind: 'range', keys: [{ sql: 'k', ascending: true, nullsFirst: false }], partitions: 4 };

/** Marks a stage's tasks done, each having written `bytesPerTask`. */
export function finish(record: StageRecord, bytesPerTask: number): void {
  for (const task of record.tasks) {
    task.state = 'done';
    task.metrics = { rowsOut: 1, bytesOut: bytesPerTask };
  }
}

/** A job of these stages, the last one its result. */
export function job(stages: StagePlan[]): Job {
  const plan: PhysicalPlan = { stages, resultStageId: stages.at(-1)!.id, schema };
  return new Job('j', plan, 'q', '');
}
