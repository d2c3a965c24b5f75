/** Checks a physical plan before any task runs, so a malformed plan fails with a clear message. */
import type { PhysicalPlan } from '../physical/types.js';

export function validatePlan(plan: PhysicalPlan): void {
  if (!plan || !Array.isArray(plan.stages) || plan.stages.length === 0) throw new Error('the physical plan has no stages');
  const byId = new Map(plan.stages.map((s) => [s.id, s]));
  if (byId.size !== plan.stages.length) throw new Error('the physical plan has two stages with the same id');
  const result = byId.get(plan.resultStageId);
  if (!result) throw new Error(`the result stage ${plan.resultStageId} is not in the plan`);
  if (result.output.kind !== 'result' && result.output.kind !== 'write') {
    throw new Error(`the result stage ${plan.resultStageId} has a ${result.output.kind} output; it must be 'result' or 'write'`);
  }
  for (const stage of plan.stages) {
    if (stage.id !== plan.resultStageId && (stage.output.kind === 'result' || stage.output.kind === 'write')) {
      throw new Error(`stage ${stage.id} has a ${stage.output.kind} output but is not the result stage`);
    }
    if (stage.tasks.length === 0) throw new Error(`stage ${stage.id} has no tasks`);
    const partitions = new Set(stage.tasks.map((t) => t.partition));
    if (partitions.size !== stage.tasks.length) throw new Error(`stage ${stage.id} has two tasks for the same partition`);
    for (const dependency of stage.dependsOn) {
      if (!byId.has(dependency)) throw new Error(`stage ${stage.id} depends on stage ${dependency}, which is not in the plan`);
    }
    for (const task of stage.tasks) {
      for (const input of task.inputs) {
        if (input.kind !== 'exchange') continue;
        if (!stage.dependsOn.includes(input.stageId)) {
          throw new Error(`stage ${stage.id} partition ${task.partition} reads stage ${input.stageId} without depending on it`);
        }
        const upstream = byId.get(input.stageId)!.output;
        const count = upstream.kind === 'hash' || upstream.kind === 'range' ? upstream.partitions : 1;
        if (input.partitions !== 'all' && input.partitions.some((p) => !Number.isInteger(p) || p < 0 || p >= count)) {
          throw new Error(`stage ${stage.id} partition ${task.partition} reads partitions [${input.partitions.join(', ')}] of stage ${input.stageId}, which has ${count}`);
        }
      }
    }
  }
  assertAcyclic(plan);
}

function assertAcyclic(plan: PhysicalPlan): void {
  const byId = new Map(plan.stages.map((s) => [s.id, s]));
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (id: number, path: number[]): void => {
    if (state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') throw new Error(`the stages depend on each other in a cycle: ${[...path, id].join(' -> ')}`);
    state.set(id, 'visiting');
    for (const dependency of byId.get(id)!.dependsOn) visit(dependency, [...path, id]);
    state.set(id, 'done');
  };
  for (const stage of plan.stages) visit(stage.id, []);
}
