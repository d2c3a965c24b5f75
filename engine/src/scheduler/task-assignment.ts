/** Turns a planned task into what a worker runs: exchange inputs resolved to files, output paths chosen. */
import { join } from 'node:path';
import { isS3Url } from '../io/s3Url.js';
import type { ResolvedInput, TaskAssignment, TaskOutputSpec } from '../cluster/protocol.js';
import { taskKeyOf } from '../cluster/protocol.js';
import type { StagePlan, TaskInput } from '../physical/types.js';
import type { Job, StageRecord, TaskRecord } from './job.js';
import type { PartitionRegistry } from './partition-registry.js';

export function stageTaskAssignment(
  job: Job, stage: StageRecord, task: TaskRecord, attempt: number, workerScratchDir: string, registry: PartitionRegistry, writeStagingDir: string | undefined,
): TaskAssignment {
  const stageId = stage.plan.id;
  const base = join(workerScratchDir, 'jobs', job.id, `s${stageId}`, `p${task.partition}-a${attempt}`);
  return {
    taskKey: taskKeyOf(job.id, stageId, task.partition, attempt),
    jobId: job.id,
    stageId,
    partition: task.partition,
    attempt,
    work: {
      kind: 'stage',
      sql: stage.plan.sql,
      inputs: task.inputs.map((input) => resolveInput(job, input, registry)),
      ...(stage.plan.views?.length ? { views: stage.plan.views } : {}),
      output: outputSpec(stage.plan, task.partition, attempt, base, writeStagingDir),
    },
    ...(job.plan.s3 ? { s3: job.plan.s3 } : {}),
  };
}

export function rangeBoundsAssignment(job: Job, stage: StageRecord, attempt: number, registry: PartitionRegistry): TaskAssignment {
  const output = stage.plan.output;
  if (output.kind !== 'range') throw new Error(`stage ${stage.plan.id} has no range output`);
  return {
    taskKey: taskKeyOf(job.id, stage.plan.id, -1, attempt),
    jobId: job.id,
    stageId: stage.plan.id,
    partition: -1,
    attempt,
    work: { kind: 'rangeBounds', ...registry.readOf(job.id, stage.plan.id, 'all', stage.tasks.map((t) => t.partition)), keys: output.keys, partitions: output.partitions },
    ...(job.plan.s3 ? { s3: job.plan.s3 } : {}),
  };
}

function resolveInput(job: Job, input: TaskInput, registry: PartitionRegistry): ResolvedInput {
  if (input.kind !== 'exchange') return input;
  const upstream = job.stages.get(input.stageId)!;
  const read = registry.readOf(job.id, input.stageId, upstream.plan.output.kind === 'range' ? 'all' : input.partitions, upstream.tasks.map((t) => t.partition));
  let filterSql: string | undefined;
  if (upstream.plan.output.kind === 'range' && input.partitions !== 'all') {
    const filters = upstream.bounds?.filters;
    if (!filters) throw new Error(`range bounds of stage ${input.stageId} are not computed yet`);
    filterSql = input.partitions.map((p) => `(${filters[p]})`).join(' OR ') || 'false';
  }
  return { kind: 'exchangeFiles', name: input.name, ...read, schema: input.schema, filterSql };
}

function outputSpec(stage: StagePlan, partition: number, attempt: number, base: string, writeStagingDir: string | undefined): TaskOutputSpec {
  const output = stage.output;
  switch (output.kind) {
    case 'hash':
      return { kind: 'hash', keys: output.keys, partitions: output.partitions, dir: base };
    case 'range':
    case 'broadcast':
    case 'gather':
      return { kind: 'single', file: `${base}.parquet` };
    case 'result':
      return { kind: 'result', file: `${base}.arrow` };
    case 'write':
      if (!writeStagingDir) throw new Error(`stage ${stage.id} writes files but the job has no staging directory`);
      return {
        kind: 'write',
        // s3:// staging: the task writes into its own scratch directory and uploads from there.
        // File names carry partition and attempt, so attempts never overwrite each other's uploads.
        ...(isS3Url(writeStagingDir)
          ? { dir: `${base}-write`, uploadTo: writeStagingDir }
          : { dir: join(writeStagingDir, `p${partition}-a${attempt}`) }),
        format: output.format,
        partitionBy: output.partitionBy,
        csv: output.csv,
        filePrefix: `part-${String(partition).padStart(5, '0')}-a${attempt}`,
      };
    default:
      throw new Error(`stage ${stage.id} has an unknown output kind ${(output as { kind: string }).kind}`);
  }
}
