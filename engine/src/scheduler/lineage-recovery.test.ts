import { describe, expect, test } from 'vitest';
import type { TaskOutput } from '../cluster/protocol.js';
import type { PhysicalPlan, StagePlan } from '../physical/types.js';
import { Job } from './job.js';
import { resetNeededLostOutputs } from './lineage-recovery.js';
import { PartitionRegistry } from './partition-registry.js';

/** scan (stage 0, 2 tasks) -> join (stage 1, 2 tasks) -> result (stage 2, 2 tasks), all hash exchanges but the result. */
function threeStageJob(): Job {
  const stage = (id: number, dependsOn: number[], kind: 'hash' | 'result'): StagePlan => ({
    id, dependsOn, sql: 'SELECT 1', schema: { fields: [] }, description: `s${id}`,
    output: kind === 'hash' ? { kind: 'hash', keys: ['k'], partitions: 2 } : { kind: 'result' },
    tasks: [0, 1].map((partition) => ({ partition, inputs: [] })),
  } as StagePlan);
  const plan: PhysicalPlan = { stages: [stage(0, [], 'hash'), stage(1, [0], 'hash'), stage(2, [1], 'result')], resultStageId: 2, schema: { fields: [] } };
  return new Job('j', plan, 'q', '');
}

/** A hash output with 10 rows of 100 bytes for each of the two consumer partitions. */
function partitioned(file: string): TaskOutput {
  return { kind: 'partitioned', files: { 0: [`${file}-0`], 1: [`${file}-1`] }, rows: { 0: 10, 1: 10 }, bytes: { 0: 100, 1: 100 } };
}

/** Every task done, partition 0 of every stage held by w1 and partition 1 by w2. */
function finishedEverywhere(job: Job): PartitionRegistry {
  const registry = new PartitionRegistry();
  for (const stage of job.stages.values()) {
    for (const task of stage.tasks) {
      task.state = 'done';
      const file = `/w${task.partition + 1}/s${stage.plan.id}p${task.partition}`;
      registry.record(job.id, stage.plan.id, task.partition, `w${task.partition + 1}`, stage.plan.output.kind === 'result' ? { kind: 'result', file } : partitioned(file));
    }
  }
  return registry;
}

const pending = (job: Job) => [...job.stages.values()].flatMap((s) => s.tasks.filter((t) => t.state === 'pending').map((t) => `s${s.plan.id}p${t.partition}`));

describe('recomputing outputs lost with a worker', () => {
  test('a lost result partition makes the lost outputs of every stage below it needed again, though those stages had finished', () => {
    const job = threeStageJob();
    const registry = finishedEverywhere(job);
    registry.dropWorker('w1');
    const reset = resetNeededLostOutputs(job, registry);
    expect(reset.map(({ stage, task }) => `s${stage.plan.id}p${task.partition}`).sort()).toEqual(['s0p0', 's1p0', 's2p0']);
    expect(pending(job).sort()).toEqual(['s0p0', 's1p0', 's2p0']);
  });

  test('outputs no task will read again stay done; a later loss that reruns a reader brings them back', () => {
    const job = threeStageJob();
    const registry = finishedEverywhere(job);
    // The join and result stages are done: losing only the scan output of w1 needs nothing.
    registry.dropWorker('w1');
    registry.record(job.id, 1, 0, 'w2', partitioned('/w2/s1p0'));
    registry.record(job.id, 2, 0, 'w2', { kind: 'result', file: '/w2/s2p0' });
    expect(resetNeededLostOutputs(job, registry)).toEqual([]);
    // Later w2 goes with result partition 1 (partition 0 was moved to w3 meanwhile): the result
    // reruns, so the join reruns, so both scan outputs are needed, including the one lost earlier.
    registry.record(job.id, 2, 0, 'w3', { kind: 'result', file: '/w3/s2p0' });
    registry.dropWorker('w2');
    resetNeededLostOutputs(job, registry);
    expect(pending(job).sort()).toEqual(['s0p0', 's0p1', 's1p0', 's1p1', 's2p1']);
  });

  test('an exchange read is never built from fewer than all producer outputs', () => {
    const job = threeStageJob();
    const registry = finishedEverywhere(job);
    expect(registry.readOf(job.id, 0, [1], [0, 1])).toEqual({ files: ['/w1/s0p0-1', '/w2/s0p1-1'], rows: 20, bytes: 200 });
    expect(registry.readOf(job.id, 0, 'all', [0, 1]).rows).toBe(40);
    registry.dropWorker('w1');
    expect(() => registry.readOf(job.id, 0, [1], [0, 1])).toThrow(/internal error: 1 of the 2 outputs of stage 0 .*missing partitions 0/);
  });
});
