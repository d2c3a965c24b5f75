/** A readable rendering of a physical plan: its stages, what each reads and how it hands rows on. */
import type { PhysicalPlan, StagePlan, TaskInput } from './types.js';

function describeInput(input: TaskInput): string {
  switch (input.kind) {
    case 'files':
      return `${input.name}: ${input.format} files`;
    case 'exchange':
      return `${input.name}: stage ${input.stageId} ${input.partitions === 'all' ? 'all partitions' : 'partition per task'}`;
    case 'values':
      return `${input.name}: given rows`;
  }
}

function describeStage(stage: StagePlan, resultStageId: number): string[] {
  const first = stage.tasks[0];
  const lines = [
    `Stage ${stage.id}${stage.id === resultStageId ? ' (result)' : ''}: ${stage.tasks.length} task${stage.tasks.length === 1 ? '' : 's'}` +
      (stage.dependsOn.length ? `, after stage ${stage.dependsOn.join(', ')}` : ''),
    `  ${stage.description}`,
  ];
  if (first && first.inputs.length > 0) lines.push(`  reads ${first.inputs.map(describeInput).join('; ')}`);
  if (stage.singleWorkerReason) lines.push(`  single worker: ${stage.singleWorkerReason}`);
  return lines;
}

export function explainPhysical(p: PhysicalPlan, options: { sql?: boolean } = {}): string {
  return p.stages
    .flatMap((stage) => [...describeStage(stage, p.resultStageId), ...(options.sql ? [`  sql: ${stage.sql}`] : [])])
    .join('\n');
}
