/**
 * The order free slots go to pending work when several jobs run at once: each slot goes to the
 * owner (notebook, kernel) with the fewest running tasks, and within that owner to its job with the
 * fewest running tasks, so one huge job cannot starve another owner's small query. Jobs without an
 * owner count as owners of their own.
 */
import type { Job, StageRecord, TaskRecord } from './job.js';

export interface PendingWork {
  job: Job;
  stage: StageRecord;
  /** Absent for a stage's range-bounds task. */
  task?: TaskRecord;
}

/** Yields pending work in fair order; `runningByJob` counts the tasks each job already runs. */
export function* fairOrder(jobs: Job[], runningByJob: Map<string, number>): Generator<PendingWork> {
  const queues = new Map<Job, PendingWork[]>();
  for (const job of jobs) {
    const queue = pendingWorkOf(job);
    if (queue.length > 0) queues.set(job, queue);
  }
  const ownerOf = (job: Job) => job.owner || `job:${job.id}`;
  const running = new Map<string, number>();
  const jobRunning = (job: Job) => runningByJob.get(job.id) ?? 0;
  for (const job of jobs) running.set(ownerOf(job), (running.get(ownerOf(job)) ?? 0) + jobRunning(job));
  while (queues.size > 0) {
    // Ties go to the job submitted first (Map order is submission order).
    let chosen: Job | undefined;
    for (const job of queues.keys()) {
      if (!chosen) chosen = job;
      const [a, b] = [running.get(ownerOf(job))!, running.get(ownerOf(chosen))!];
      if (a < b || (a === b && ownerOf(job) === ownerOf(chosen) && jobRunning(job) < jobRunning(chosen))) chosen = job;
    }
    const queue = queues.get(chosen!)!;
    yield queue.shift()!;
    if (queue.length === 0) queues.delete(chosen!);
    running.set(ownerOf(chosen!), running.get(ownerOf(chosen!))! + 1);
    runningByJob.set(chosen!.id, jobRunning(chosen!) + 1);
  }
}

function pendingWorkOf(job: Job): PendingWork[] {
  if (job.state !== 'running') return [];
  const work: PendingWork[] = [];
  for (const stage of job.runnableStages()) {
    for (const task of stage.tasks) if (task.state === 'pending') work.push({ job, stage, task });
    if (stage.bounds?.state === 'pending' && stage.tasks.every((t) => t.state === 'done')) work.push({ job, stage });
  }
  return work;
}

/** Tasks waiting for a slot across all running jobs (managed scaling's signal). */
export function queuedTaskCount(jobs: Iterable<Job>): number {
  let count = 0;
  for (const job of jobs) count += pendingWorkOf(job).length;
  return count;
}
