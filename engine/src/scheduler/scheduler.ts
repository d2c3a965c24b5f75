/**
 * The master's scheduler: runs a job's stages once their dependencies are complete, one task per
 * partition on workers with a free slot, retries failures, recomputes outputs lost with a worker,
 * and cancels on request. It never touches processes itself; a TaskDispatcher does.
 */
import { randomUUID } from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ResultLostError, type WorkerRole } from '../cluster/types.js';
import type { JobOutcome, TaskAssignment, TaskMetrics, TaskOutput } from '../cluster/protocol.js';
import type { MalformedRows } from '../io/csvInput.js';
import type { PhysicalPlan } from '../physical/types.js';
import { Job, type JobLogEntry, type RangeBoundsRecord, type StageRecord, type TaskRecord } from './job.js';
import { checkWriteTarget, commitJobWrite, discardWriteStaging, writeStaging } from './write-commit.js';
import { PartitionRegistry } from './partition-registry.js';
import { fairOrder, queuedTaskCount } from './fair-share.js';
import { evacuateWorker, handOffOutput, heldByWorker, HolderRotation, type DataHolder } from './output-handoff.js';
import { validatePlan } from './plan-validation.js';
import { resetNeededLostOutputs } from './lineage-recovery.js';
import { COALESCE_TARGET_BYTES, coalesceSmallStage, trivialRangeFilters } from './adaptive-partitions.js';
import { rangeBoundsAssignment, stageTaskAssignment } from './task-assignment.js';
import { fuseSmallStages } from './stage-fusion.js';

export const MAX_ATTEMPTS = 4;
/** A task lost with this many workers in a row fails the job instead of looping forever. */
const MAX_LOSSES = 8;

export type { DataHolder };

export interface FreeWorker {
  workerId: string;
  role: WorkerRole;
  scratchDir: string;
  freeSlots: number;
}

export interface TaskDispatcher {
  freeWorkers(): FreeWorker[];
  dispatch(workerId: string, task: TaskAssignment): void;
  cancel(workerId: string, taskKey: string): void;
  /** Core workers in service: where outputs of task workers and decommissioned core workers go. */
  dataHolders(): DataHolder[];
  roleOf(workerId: string): WorkerRole | undefined;
  scratchDirOf(workerId: string): string | undefined;
}

export interface SchedulerOptions {
  /** A result larger than this (sum of its Arrow partitions) fails instead of going to the driver. */
  maxResultBytes: number;
  /** Finished jobs kept for the jobs listing; older ones are forgotten. */
  maxFinishedJobs: number;
  /** Target exchange bytes per task when a stage's input turned out small; 0 keeps the planned partitions. */
  adaptivePartitionBytes?: number;
  /** Every job log entry, for the cluster event stream. */
  onJobEvent?(job: Job, entry: JobLogEntry): void;
}

interface RunningRef {
  job: Job;
  stage: StageRecord;
  /** Absent for a range-bounds task. */
  task?: TaskRecord;
  workerId: string;
  attempt: number;
  /** Set when the scheduler stopped the task itself; its report only frees the slot. */
  abandoned?: boolean;
  /** Workers holding the exchange files the task reads. */
  readsFrom?: Set<string>;
}

export class Scheduler {
  readonly jobs = new Map<string, Job>();
  readonly registry = new PartitionRegistry();
  private readonly running = new Map<string, RunningRef>();
  private readonly stagingDirs = new Map<string, string>();
  private readonly awaitingCleanUp = new Set<string>();
  private readonly holders = new HolderRotation();
  /** Outputs being copied off each task worker. */
  private readonly handOffsFrom = new Map<string, number>();

  constructor(
    private readonly dispatcher: TaskDispatcher,
    private readonly scratchDir: string,
    private readonly options: SchedulerOptions = { maxResultBytes: Number.POSITIVE_INFINITY, maxFinishedJobs: Number.POSITIVE_INFINITY },
  ) {}

  async submit(plan: PhysicalPlan, description = '', owner = ''): Promise<Job> {
    validatePlan(plan);
    const job = new Job(randomUUID(), plan, description, owner);
    const output = plan.stages.find((s) => s.id === plan.resultStageId)!.output;
    if (output.kind === 'write') {
      await checkWriteTarget(output, plan.s3);
      this.stagingDirs.set(job.id, writeStaging(output, job.id));
    }
    this.jobs.set(job.id, job);
    job.onRecord = (entry) => this.options.onJobEvent?.(job, entry);
    job.onRecord(job.log[0]!);
    // A first stage of given rows only may already be small enough to run inside its consumer.
    const targetBytes = this.options.adaptivePartitionBytes ?? COALESCE_TARGET_BYTES;
    if (targetBytes > 0) fuseSmallStages(job, targetBytes);
    this.schedule();
    return job;
  }

  /** Hands pending work to free worker slots, fairly between owners (fair-share.ts). */
  schedule(): void {
    const free = this.dispatcher.freeWorkers().filter((w) => w.freeSlots > 0);
    if (free.length === 0) return;
    // A retry goes to a worker other than the last one it failed on, preferably one it never failed on.
    const take = (tried: string[]): FreeWorker | undefined => {
      const avoidance = (w: FreeWorker) => (w.workerId === tried.at(-1) ? 2 : tried.includes(w.workerId) ? 1 : 0);
      free.sort((a, b) => avoidance(a) - avoidance(b) || b.freeSlots - a.freeSlots);
      const worker = free[0];
      if (!worker || worker.freeSlots === 0) return undefined;
      worker.freeSlots--;
      return worker;
    };
    const runningByJob = new Map<string, number>();
    for (const ref of this.running.values()) if (!ref.abandoned) runningByJob.set(ref.job.id, (runningByJob.get(ref.job.id) ?? 0) + 1);
    const jobs = [...this.jobs.values()].filter((j) => j.state === 'running');
    for (const work of fairOrder(jobs, runningByJob)) {
      // A task that could not be prepared fails its job in the middle of this round.
      if (work.job.state !== 'running') continue;
      const worker = take(work.task?.triedOn ?? []);
      if (!worker) return;
      if (work.task) this.start(work.job, work.stage, work.task, worker);
      else this.startBounds(work.job, work.stage, work.stage.bounds!, worker);
    }
  }

  /** Tasks waiting for a free slot. */
  queuedTasks(): number {
    return queuedTaskCount(this.jobs.values());
  }

  private start(job: Job, stage: StageRecord, task: TaskRecord, worker: FreeWorker): void {
    const attempt = ++task.startedAttempts;
    let assignment: TaskAssignment;
    try {
      assignment = stageTaskAssignment(job, stage, task, attempt, worker.scratchDir, this.registry, this.stagingDirs.get(job.id));
    } catch (error) {
      this.failJob(job, `stage ${stage.plan.id} partition ${task.partition} could not be prepared: ${messageOf(error)}`);
      return;
    }
    task.state = 'running';
    task.running = { taskKey: assignment.taskKey, workerId: worker.workerId };
    job.stageStarted(stage);
    const readsFrom = new Set(stage.plan.dependsOn.flatMap((upstream) => this.registry.holdersOf(job.id, upstream)));
    this.running.set(assignment.taskKey, { job, stage, task, workerId: worker.workerId, attempt, readsFrom });
    job.record({ event: 'taskStarted', stageId: stage.plan.id, partition: task.partition, attempt, workerId: worker.workerId });
    this.dispatcher.dispatch(worker.workerId, assignment);
    job.emit({ event: 'progress', data: job.progress() });
  }

  private startBounds(job: Job, stage: StageRecord, bounds: RangeBoundsRecord, worker: FreeWorker): void {
    const attempt = ++bounds.startedAttempts;
    let assignment: TaskAssignment;
    try {
      assignment = rangeBoundsAssignment(job, stage, attempt, this.registry);
    } catch (error) {
      this.failJob(job, `range bounds of stage ${stage.plan.id} could not be prepared: ${messageOf(error)}`);
      return;
    }
    bounds.state = 'running';
    bounds.running = { taskKey: assignment.taskKey, workerId: worker.workerId };
    this.running.set(assignment.taskKey, { job, stage, workerId: worker.workerId, attempt });
    this.dispatcher.dispatch(worker.workerId, assignment);
  }

  /** The running task a worker reports on, or undefined (after rescheduling) when its job no longer wants it. */
  private takeLiveReport(taskKey: string) {
    const ref = this.running.get(taskKey);
    this.running.delete(taskKey);
    this.taskReported(ref);
    if (!ref || ref.abandoned || ref.job.state !== 'running') {
      this.schedule();
      return undefined;
    }
    return ref;
  }

  taskSucceeded(taskKey: string, output: TaskOutput, metrics: TaskMetrics): void {
    const ref = this.takeLiveReport(taskKey);
    if (!ref) return;
    const { job, stage, task, workerId, attempt } = ref;
    if (!task) {
      if (output.kind !== 'rangeBounds') throw new Error(`range bounds task ${taskKey} returned ${output.kind} output`);
      stage.bounds = { ...stage.bounds!, state: 'done', filters: output.filters, running: undefined };
    } else if (this.dispatcher.roleOf(workerId) === 'task' && heldByWorker(output)) {
      // The task counts as done only once a core worker holds its output.
      void this.handOff(ref as RunningRef & { task: TaskRecord }, output, metrics);
      this.schedule();
      return;
    } else {
      this.taskDone(job, stage, task, attempt, workerId, output, metrics);
    }
    this.stageProgressed(job, stage);
  }

  private taskDone(job: Job, stage: StageRecord, task: TaskRecord, attempt: number, workerId: string, output: TaskOutput, metrics: TaskMetrics): void {
    task.state = 'done';
    task.running = undefined;
    task.metrics = { rowsOut: metrics.rowsOut, bytesOut: metrics.bytesOut, ...(metrics.malformedRows ? { malformedRows: metrics.malformedRows } : {}) };
    this.registry.record(job.id, stage.plan.id, task.partition, workerId, output);
    const { malformedRows: _counted, ...counts } = metrics;
    job.record({ event: 'taskSucceeded', stageId: stage.plan.id, partition: task.partition, attempt, workerId, ...counts });
  }

  private stageProgressed(job: Job, stage: StageRecord): void {
    if (stage.plan.id === job.plan.resultStageId && this.failIfResultTooLarge(job, stage)) return;
    this.adaptToOutput(job, stage);
    job.stageMaybeFinished(stage);
    job.emit({ event: 'progress', data: job.progress() });
    if (job.stageComplete(job.plan.resultStageId)) void this.finish(job);
    this.schedule();
  }

  /**
   * Once a stage's tasks are done, what they really wrote reshapes the stages reading it
   * (adaptive-partitions.ts), and a stage left with one small task runs inside its consumer's (stage-fusion.ts).
   */
  private adaptToOutput(job: Job, stage: StageRecord): void {
    const targetBytes = this.options.adaptivePartitionBytes ?? COALESCE_TARGET_BYTES;
    if (targetBytes === 0 || !stage.tasks.every((t) => t.state === 'done')) return;
    const filters = trivialRangeFilters(stage, targetBytes);
    if (filters) stage.bounds = { ...stage.bounds!, state: 'done', filters };
    if (!job.stageComplete(stage.plan.id)) return;
    for (const consumer of job.consumersOf(stage.plan.id)) {
      if (consumer.plan.dependsOn.every((d) => job.stageComplete(d))) coalesceSmallStage(job, consumer, targetBytes);
    }
    fuseSmallStages(job, targetBytes);
  }

  /** Fails the job as soon as the result partitions done so far exceed maxResultBytes, before the rest are computed. */
  private failIfResultTooLarge(job: Job, stage: StageRecord): boolean {
    if (stage.plan.output.kind !== 'result') return false;
    const done = stage.tasks.filter((t) => t.state === 'done');
    const bytes = done.reduce((sum, t) => sum + (t.metrics?.bytesOut ?? 0), 0);
    if (bytes <= this.options.maxResultBytes) return false;
    const rows = done.reduce((sum, t) => sum + (t.metrics?.rowsOut ?? 0), 0);
    const sofar = done.length < stage.tasks.length ? `at least ${bytes} bytes (${rows} rows in ${done.length} of ${stage.tasks.length} partitions)` : `${bytes} bytes (${rows} rows)`;
    this.failJob(job, `the result is ${sofar}, more than the ${this.options.maxResultBytes} bytes the driver accepts (maxResultBytes); `
      + 'fetch fewer rows with limit(), or save it with write() and read the files');
    this.schedule();
    return true;
  }

  /** Copies a task worker's output to a core worker, then marks the task done; a failed copy reruns the task. */
  private async handOff(ref: RunningRef & { task: TaskRecord }, output: TaskOutput, metrics: TaskMetrics): Promise<void> {
    const { job, stage, task, workerId, attempt } = ref;
    this.handOffsFrom.set(workerId, (this.handOffsFrom.get(workerId) ?? 0) + 1);
    const outcome = await handOffOutput(output, workerId, this.dispatcher, this.holders).finally(() => {
      const left = this.handOffsFrom.get(workerId)! - 1;
      if (left > 0) this.handOffsFrom.set(workerId, left);
      else this.handOffsFrom.delete(workerId);
    });
    if (job.state !== 'running' || task.state !== 'running' || task.running?.workerId !== workerId) {
      // The job ended while the files were copied, perhaps after its files were removed: remove the copies too.
      if (outcome.kind === 'moved' && job.state !== 'running') this.cleanUpInBackground(job.id);
      return;
    }
    if (outcome.kind === 'lost') {
      task.state = 'pending';
      task.running = undefined;
      task.triedOn.push(workerId);
      job.record({ event: 'taskLost', stageId: stage.plan.id, partition: task.partition, attempt, workerId, error: outcome.reason });
      if (++task.lostCount > MAX_LOSSES) this.failJob(job, `stage ${stage.plan.id} partition ${task.partition} was lost with ${MAX_LOSSES} workers`);
    } else {
      const error = outcome.kind === 'kept' ? { error: outcome.reason } : {};
      job.record({ event: 'outputMoved', stageId: stage.plan.id, partition: task.partition, attempt, workerId: outcome.workerId, ...error });
      this.taskDone(job, stage, task, attempt, outcome.workerId, outcome.output, metrics);
    }
    this.stageProgressed(job, stage);
  }

  /** Running tasks that read files a worker holds (a decommissioned worker leaves once none do). */
  readersOf(workerId: string): number {
    return [...this.running.values()].filter((ref) => ref.readsFrom?.has(workerId)).length;
  }

  /** Whether the master still copies or tasks still read a worker's files: a leaving worker waits until not. */
  filesInUse(workerId: string): boolean {
    return this.handOffsFrom.has(workerId) || this.readersOf(workerId) > 0;
  }

  /** Moves every output a core worker holds to the other core workers (before it is decommissioned). */
  evacuate(workerId: string): Promise<number> {
    const fromDir = this.dispatcher.scratchDirOf(workerId);
    if (!fromDir) throw new Error(`worker ${workerId} is not known`);
    return evacuateWorker(this.registry, workerId, fromDir, this.dispatcher.dataHolders(), this.holders);
  }

  taskFailed(taskKey: string, error: string, durationMs: number): void {
    const ref = this.takeLiveReport(taskKey);
    if (!ref) return;
    const { job, stage, task, workerId, attempt } = ref;
    const record: { failedAttempts: number; firstError?: string; state: string; running?: unknown } = task ?? stage.bounds!;
    const where = task ? `stage ${stage.plan.id} (${stage.plan.description}) partition ${task.partition}` : `range bounds of stage ${stage.plan.id} (${stage.plan.description})`;
    record.failedAttempts++;
    record.firstError ??= error;
    task?.triedOn.push(workerId);
    record.state = 'pending';
    record.running = undefined;
    job.record({ event: 'taskFailed', stageId: stage.plan.id, partition: task?.partition, attempt, workerId, durationMs, error });
    if (record.failedAttempts >= MAX_ATTEMPTS) {
      this.failJob(job, `${where} failed after ${MAX_ATTEMPTS} attempts: ${record.firstError}`);
    } else {
      job.emit({ event: 'progress', data: job.progress() });
    }
    this.schedule();
  }

  /** A worker died: rerun what it was running and recompute the outputs it held that are still needed. */
  workerLost(workerId: string): void {
    for (const [taskKey, ref] of this.running) {
      if (ref.workerId !== workerId) continue;
      this.running.delete(taskKey);
      this.taskReported(ref);
      if (ref.abandoned || ref.job.state !== 'running') continue;
      const record = ref.task ?? ref.stage.bounds!;
      record.state = 'pending';
      record.running = undefined;
      ref.task?.triedOn.push(workerId);
      ref.job.record({ event: 'taskLost', stageId: ref.stage.plan.id, partition: ref.task?.partition, attempt: ref.attempt, workerId });
      if (ref.task && ++ref.task.lostCount > MAX_LOSSES) this.failJob(ref.job, `stage ${ref.stage.plan.id} partition ${ref.task.partition} was lost with ${MAX_LOSSES} workers`);
    }
    const jobsLosingOutputs = new Set<Job>();
    for (const lost of this.registry.dropWorker(workerId)) {
      const job = this.jobs.get(lost.jobId);
      if (job?.state === 'running') jobsLosingOutputs.add(job);
    }
    for (const job of jobsLosingOutputs) this.recomputeLostOutputs(job, workerId);
    for (const job of this.jobs.values()) if (job.state === 'running') job.emit({ event: 'progress', data: job.progress() });
    this.schedule();
  }

  /**
   * Reruns the tasks whose lost outputs the job still needs, by lineage (lineage-recovery.ts), and
   * stops whatever was already reading them. Outputs no task will read again stay unregistered;
   * they are recomputed if a later loss makes a consumer run again.
   */
  private recomputeLostOutputs(job: Job, workerId: string): void {
    const recomputed = resetNeededLostOutputs(job, this.registry);
    const stages = new Set(recomputed.map(({ stage }) => stage));
    for (const { stage, task } of recomputed) job.record({ event: 'outputLost', stageId: stage.plan.id, partition: task.partition, workerId });
    for (const stage of stages) {
      if (stage.bounds) this.requeue(stage.bounds);
      for (const consumer of job.consumersOf(stage.plan.id)) for (const consumerTask of consumer.tasks) this.requeue(consumerTask);
    }
  }

  private requeue(record: { state: string; running?: { taskKey: string; workerId: string } }): void {
    if (record.state !== 'running' || !record.running) return;
    const { taskKey, workerId } = record.running;
    record.state = 'pending';
    record.running = undefined;
    // The slot frees when the worker reports the interrupted task; its report is then ignored.
    const ref = this.running.get(taskKey);
    if (ref) ref.abandoned = true;
    this.dispatcher.cancel(workerId, taskKey);
  }

  cancel(jobId: string, reason: string): void {
    const job = this.jobs.get(jobId);
    if (!job || job.state !== 'running') return;
    job.state = 'cancelled';
    job.finishedAt = new Date();
    job.record({ event: 'cancelled', error: reason });
    this.stopTasks(job);
    job.emit({ event: 'progress', data: job.progress() });
    job.emit({ event: 'cancelled', data: { reason } });
    this.forgetOldJobs();
    this.cleanUpWhenStopped(job);
  }

  private failJob(job: Job, error: string): void {
    if (job.state !== 'running') return;
    job.state = 'failed';
    job.error = error;
    job.finishedAt = new Date();
    job.record({ event: 'failed', error });
    this.stopTasks(job);
    job.emit({ event: 'progress', data: job.progress() });
    job.emit({ event: 'failed', data: { error } });
    this.forgetOldJobs();
    this.cleanUpWhenStopped(job);
  }

  private stopTasks(job: Job): void {
    for (const [taskKey, ref] of this.running) if (ref.job === job) this.dispatcher.cancel(ref.workerId, taskKey);
  }

  private async finish(job: Job): Promise<void> {
    const stage = job.stages.get(job.plan.resultStageId)!;
    const output = stage.plan.output;
    try {
      if (output.kind === 'write') {
        const partitions = [...stage.tasks].sort((a, b) => a.partition - b.partition).map((t) => {
          const entry = this.registry.get(job.id, stage.plan.id, t.partition);
          if (entry?.output.kind !== 'write') throw new Error(`write output of partition ${t.partition} is missing`);
          return { dir: entry.output.dir, files: entry.output.files, rows: t.metrics?.rowsOut ?? 0, bytes: t.metrics?.bytesOut ?? 0 };
        });
        const written = await commitJobWrite(output, this.stagingDirs.get(job.id)!, partitions, job.id, job.plan.s3);
        this.succeed(job, { kind: 'written', written, ...malformedRowsOf(job) });
        this.cleanUpInBackground(job.id);
      } else {
        const rowCount = stage.tasks.reduce((sum, t) => sum + (t.metrics?.rowsOut ?? 0), 0);
        this.succeed(job, { kind: 'result', partitions: stage.tasks.length, rowCount, ...malformedRowsOf(job) });
      }
    } catch (error) {
      this.failJob(job, `committing the job's output failed: ${messageOf(error)}`);
    }
  }

  private succeed(job: Job, outcome: JobOutcome): void {
    if (job.state !== 'running') return;
    job.state = 'succeeded';
    job.finishedAt = new Date();
    job.record({ event: 'succeeded', durationMs: job.finishedAt.getTime() - job.submittedAt.getTime() });
    // The last progress a listener sees is the terminal one.
    job.emit({ event: 'progress', data: job.progress() });
    job.emit({ event: 'succeeded', data: outcome });
    this.forgetOldJobs();
  }

  /** Keeps the newest maxFinishedJobs finished jobs; the older ones and their files go. */
  private forgetOldJobs(): void {
    const finished = [...this.jobs.values()].filter((j) => j.state !== 'running');
    for (const job of finished.slice(0, Math.max(0, finished.length - this.options.maxFinishedJobs))) {
      this.jobs.delete(job.id);
      if (!this.awaitingCleanUp.has(job.id)) this.cleanUpInBackground(job.id);
    }
  }

  /** The Arrow IPC file holding one partition of a finished job's result. */
  /** Bytes of a finished job's result partitions, together. */
  resultBytes(jobId: string): number {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    return job.stages.get(job.plan.resultStageId)!.tasks.reduce((sum, t) => sum + (t.metrics?.bytesOut ?? 0), 0);
  }

  resultFile(jobId: string, partition: number): string {
    const job = this.jobs.get(jobId);
    if (!job) throw new Error(`no job ${jobId}`);
    if (job.state !== 'succeeded') throw new Error(`job ${jobId} is ${job.state}, not succeeded`);
    const stage = job.stages.get(job.plan.resultStageId)!;
    const task = [...stage.tasks].sort((a, b) => a.partition - b.partition)[partition];
    if (!task) throw new Error(`job ${jobId} has no result partition ${partition}`);
    const entry = this.registry.get(jobId, stage.plan.id, task.partition);
    if (entry?.output.kind !== 'result') throw new ResultLostError(`result partition ${partition} of job ${jobId} was lost with its worker`);
    return entry.output.file;
  }

  /**
   * The driver has what it needs: the job's outputs are no longer served from now on, and its files
   * are removed in the background. A job of many small tasks leaves tens of thousands of files, and
   * the driver's request must not wait for a loaded disk to delete them.
   */
  release(jobId: string): void {
    this.cleanUpInBackground(jobId);
  }

  /** Interrupted tasks may still be writing: remove the job's files once the last one has reported. */
  private cleanUpWhenStopped(job: Job): void {
    if ([...this.running.values()].some((ref) => ref.job === job)) this.awaitingCleanUp.add(job.id);
    else this.cleanUpInBackground(job.id);
  }

  private taskReported(ref: RunningRef | undefined): void {
    if (!ref || !this.awaitingCleanUp.has(ref.job.id)) return;
    if ([...this.running.values()].some((other) => other.job === ref.job)) return;
    this.awaitingCleanUp.delete(ref.job.id);
    this.cleanUpInBackground(ref.job.id);
  }

  private cleanUpInBackground(jobId: string): void {
    this.cleanUp(jobId).catch((error: unknown) => console.error(`quire master: removing the files of job ${jobId} failed:`, error));
  }

  private async cleanUp(jobId: string): Promise<void> {
    this.registry.dropJob(jobId);
    const workers = join(this.scratchDir, 'workers');
    const dirs = await readdir(workers).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return [] as string[];
      throw error;
    });
    await Promise.all(dirs.map((d) => rm(join(workers, d, 'jobs', jobId), { recursive: true, force: true })));
    const staging = this.stagingDirs.get(jobId);
    if (staging) await discardWriteStaging(staging, this.jobs.get(jobId)?.plan.s3);
    this.stagingDirs.delete(jobId);
  }
}

/** Rows dropped from permissive CSV reads by every stage of the job, for the driver to report. */
function malformedRowsOf(job: Job): { malformedRows?: MalformedRows[] } {
  const rows = [...job.stages.values()].flatMap((stage) => stage.tasks.flatMap((t) => t.metrics?.malformedRows ?? []));
  return rows.length > 0 ? { malformedRows: rows } : {};
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
