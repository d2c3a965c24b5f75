/**
 * Which finished tasks must run again after outputs were lost with a worker. An output is needed
 * while the job still has to read it: it belongs to the result stage (not yet handed to the driver),
 * or a stage consuming it has a task still to run. Rerunning a task needs its inputs again, so the
 * rule is applied by lineage until nothing changes: a result partition lost after the stages below
 * it finished makes their lost outputs needed too, however deep.
 */
import type { Job, StageRecord, TaskRecord } from './job.js';
import type { PartitionRegistry } from './partition-registry.js';

export interface RecomputedTask {
  stage: StageRecord;
  task: TaskRecord;
}

/** Marks every needed, missing output's task pending and returns those tasks. */
export function resetNeededLostOutputs(job: Job, registry: PartitionRegistry): RecomputedTask[] {
  const reset: RecomputedTask[] = [];
  for (let changed = true; changed;) {
    changed = false;
    for (const stage of job.stages.values()) {
      if (!outputNeeded(job, stage)) continue;
      for (const task of stage.tasks) {
        if (task.state !== 'done' || registry.get(job.id, stage.plan.id, task.partition)) continue;
        task.state = 'pending';
        stage.finishedAt = undefined;
        reset.push({ stage, task });
        changed = true;
      }
    }
  }
  return reset;
}

function outputNeeded(job: Job, stage: StageRecord): boolean {
  if (stage.plan.id === job.plan.resultStageId) return true;
  // A range stage's own bounds task reads its outputs.
  if (stage.bounds && stage.bounds.state !== 'done') return true;
  return job.consumersOf(stage.plan.id).some((consumer) => consumer.tasks.some((t) => t.state !== 'done') || (consumer.bounds !== undefined && consumer.bounds.state !== 'done'));
}
