/** The master's record of one job: every stage, every task attempt, and the job's event log. */
import type { JobEvent } from '../cluster/protocol.js';
import type { JobProgress, JobState, JobSummary, StageProgress } from '../cluster/types.js';
import type { MalformedRows } from '../io/csvInput.js';
import type { PhysicalPlan, StagePlan, TaskInput } from '../physical/types.js';

export type TaskRunState = 'pending' | 'running' | 'done';

export interface TaskRecord {
  partition: number;
  inputs: TaskInput[];
  state: TaskRunState;
  /** Attempts that failed with an error; a worker dying under the task does not count. */
  failedAttempts: number;
  /** Attempts started in total (names the attempt's files). */
  startedAttempts: number;
  /** Times the task or its output was lost with a worker. */
  lostCount: number;
  firstError?: string;
  running?: { taskKey: string; workerId: string };
  /** Of the task's last successful attempt, so a rerun task's dropped rows count once. */
  metrics?: { rowsOut: number; bytesOut: number; malformedRows?: MalformedRows[] };
}

export interface RangeBoundsRecord {
  state: TaskRunState;
  filters?: string[];
  running?: { taskKey: string; workerId: string };
  failedAttempts: number;
  startedAttempts: number;
  firstError?: string;
}

export interface StageRecord {
  plan: StagePlan;
  tasks: TaskRecord[];
  /** Only for range outputs: the boundaries consumers filter by. */
  bounds?: RangeBoundsRecord;
}

export interface JobLogEntry {
  at: string;
  event: 'submitted' | 'taskStarted' | 'taskSucceeded' | 'taskFailed' | 'taskLost' | 'outputLost' | 'succeeded' | 'failed' | 'cancelled';
  stageId?: number;
  partition?: number;
  attempt?: number;
  workerId?: string;
  rowsOut?: number;
  bytesOut?: number;
  durationMs?: number;
  error?: string;
}

export class Job {
  state: JobState = 'running';
  readonly submittedAt = new Date();
  finishedAt?: Date;
  error?: string;
  terminalEvent?: JobEvent;
  readonly stages = new Map<number, StageRecord>();
  readonly log: JobLogEntry[] = [];
  readonly listeners = new Set<(event: JobEvent) => void>();

  constructor(readonly id: string, readonly plan: PhysicalPlan, readonly description: string, readonly owner: string) {
    for (const stage of plan.stages) {
      this.stages.set(stage.id, {
        plan: stage,
        tasks: stage.tasks.map((t) => ({ partition: t.partition, inputs: t.inputs, state: 'pending', failedAttempts: 0, startedAttempts: 0, lostCount: 0 })),
        bounds: stage.output.kind === 'range' ? { state: 'pending', failedAttempts: 0, startedAttempts: 0 } : undefined,
      });
    }
    this.record({ event: 'submitted' });
  }

  record(entry: Omit<JobLogEntry, 'at'>): void {
    this.log.push({ at: new Date().toISOString(), ...entry });
  }

  emit(event: JobEvent): void {
    if (event.event !== 'progress') this.terminalEvent = event;
    for (const listener of this.listeners) listener(event);
  }

  stageComplete(stageId: number): boolean {
    const stage = this.stages.get(stageId)!;
    return stage.tasks.every((t) => t.state === 'done') && (!stage.bounds || stage.bounds.state === 'done');
  }

  /** Stages whose dependencies are all complete and which still have work. */
  runnableStages(): StageRecord[] {
    return [...this.stages.values()].filter((s) => !this.stageComplete(s.plan.id) && s.plan.dependsOn.every((d) => this.stageComplete(d)));
  }

  consumersOf(stageId: number): StageRecord[] {
    return [...this.stages.values()].filter((s) => s.plan.dependsOn.includes(stageId));
  }

  progress(): JobProgress {
    const stages: StageProgress[] = [...this.stages.values()].map((s) => ({
      id: s.plan.id,
      description: s.plan.description,
      tasks: {
        total: s.tasks.length,
        running: s.tasks.filter((t) => t.state === 'running').length,
        done: s.tasks.filter((t) => t.state === 'done').length,
        failed: s.tasks.reduce((sum, t) => sum + t.failedAttempts, 0),
      },
    }));
    const sum = (key: keyof StageProgress['tasks']) => stages.reduce((total, s) => total + s.tasks[key], 0);
    return { jobId: this.id, state: this.state, stages, tasks: { total: sum('total'), running: sum('running'), done: sum('done'), failed: sum('failed') } };
  }

  summary(): JobSummary {
    return {
      jobId: this.id,
      description: this.description,
      owner: this.owner,
      state: this.state,
      submittedAt: this.submittedAt.toISOString(),
      finishedAt: this.finishedAt?.toISOString(),
      error: this.error,
      progress: this.progress(),
      durationMs: (this.finishedAt ?? new Date()).getTime() - this.submittedAt.getTime(),
    };
  }
}
