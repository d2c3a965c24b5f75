/** The master's record of one job: every stage, every task attempt, and the job's event log. */
import type { JobEvent } from '../cluster/protocol.js';
import type { JobDetail, JobLogEvent, JobProgress, JobState, JobSummary, StageProgress } from '../cluster/types.js';
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
  /** Workers an attempt failed or was lost on: a retry prefers another. */
  triedOn: string[];
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
  /** Set when the stage's rows are computed inside this other stage's task instead (stage-fusion.ts). */
  fusedInto?: number;
  startedAt?: Date;
  finishedAt?: Date;
}

export type JobLogEntry = JobLogEvent;

export class Job {
  state: JobState = 'running';
  readonly submittedAt = new Date();
  finishedAt?: Date;
  error?: string;
  terminalEvent?: JobEvent;
  readonly stages = new Map<number, StageRecord>();
  readonly log: JobLogEntry[] = [];
  readonly listeners = new Set<(event: JobEvent) => void>();
  /** Called with every log entry (the master's cluster event stream). */
  onRecord?: (entry: JobLogEntry) => void;

  constructor(readonly id: string, readonly plan: PhysicalPlan, readonly description: string, readonly owner: string) {
    for (const stage of plan.stages) {
      this.stages.set(stage.id, {
        plan: stage,
        tasks: stage.tasks.map((t) => ({ partition: t.partition, inputs: t.inputs, state: 'pending', failedAttempts: 0, startedAttempts: 0, lostCount: 0, triedOn: [] })),
        bounds: stage.output.kind === 'range' ? { state: 'pending', failedAttempts: 0, startedAttempts: 0 } : undefined,
      });
    }
    this.record({ event: 'submitted' });
  }

  record(entry: Omit<JobLogEntry, 'at'>): void {
    const logged = { at: new Date().toISOString(), ...entry };
    this.log.push(logged);
    this.onRecord?.(logged);
  }

  emit(event: JobEvent): void {
    if (event.event !== 'progress') this.terminalEvent = event;
    for (const listener of this.listeners) listener(event);
  }

  /** Notes a stage's first task start. */
  stageStarted(stage: StageRecord): void {
    if (stage.startedAt) return;
    stage.startedAt = new Date();
    this.record({ event: 'stageStarted', stageId: stage.plan.id });
  }

  /** Notes a stage's end once all its tasks (and range bounds) are done. */
  stageMaybeFinished(stage: StageRecord): void {
    if (stage.finishedAt || !this.stageComplete(stage.plan.id)) return;
    stage.finishedAt = new Date();
    const rowsOut = stage.tasks.reduce((sum, t) => sum + (t.metrics?.rowsOut ?? 0), 0);
    const bytesOut = stage.tasks.reduce((sum, t) => sum + (t.metrics?.bytesOut ?? 0), 0);
    this.record({ event: 'stageSucceeded', stageId: stage.plan.id, rowsOut, bytesOut, durationMs: stage.finishedAt.getTime() - (stage.startedAt ?? stage.finishedAt).getTime() });
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

  detail(): JobDetail {
    const progress = this.progress();
    return {
      ...this.summary(),
      stages: [...this.stages.values()].map((s, i) => ({
        id: s.plan.id,
        description: s.plan.description,
        startedAt: s.startedAt?.toISOString(),
        finishedAt: s.finishedAt?.toISOString(),
        tasks: progress.stages[i]!.tasks,
        ...(s.fusedInto === undefined ? {} : { fusedInto: s.fusedInto }),
      })),
      events: this.log,
    };
  }
}
