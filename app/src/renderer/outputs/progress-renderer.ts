import { h } from '../dom.js';
import { type TaskCounts, cancelJob } from '../server/quire-api.js';
import { taskBar } from '../cluster/task-bar.js';
import type { MimeRenderer } from './types.js';

/**
 * The cluster jobs of a running cell, sent by the kernel (kernel/src/execute/job-progress.ts) as display_data
 * and refreshed with update_display_data on the same display_id. Shape of `application/vnd.quire.progress+json`:
 * `{ jobs: [{ jobId, state, tasks, stages: [{ id, description, tasks }] }] }`, task counts being
 * `{ total, running, done, failed }`.
 */
export const PROGRESS_MIME = 'application/vnd.quire.progress+json';

type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobProgress {
  jobId: string;
  state: JobState;
  tasks: TaskCounts;
  stages: Array<{ id: number; description: string; tasks: TaskCounts }>;
}

/** Jobs whose cancel was asked for: the kernel redraws the progress many times a second, and they stay marked. */
const cancelling = new Set<string>();

export const progressRenderer: MimeRenderer = {
  mimeType: PROGRESS_MIME,
  render(host, data, context) {
    const payload = data[PROGRESS_MIME] as { jobs?: unknown } | undefined;
    const problem = malformed(payload);
    if (problem) {
      host.append(h('div', { class: 'output-warning' }, `malformed ${PROGRESS_MIME} payload: ${problem}`));
      return;
    }
    const jobs = (payload as { jobs: JobProgress[] }).jobs;
    host.append(h('div', { class: 'cell-jobs' }, ...jobs.map((job, index) => jobView(job, index, () => cancelJob(context.settings, job.jobId)))));
  },
};

function jobView(job: JobProgress, index: number, cancel: () => Promise<unknown>): HTMLElement {
  const asked = cancelling.has(job.jobId);
  const button = h('button', { class: 'ghost danger', 'data-action': 'cancel-job', title: 'Stop this job on the cluster', hidden: job.state !== 'running', disabled: asked }, asked ? 'Cancelling…' : 'Cancel');
  const problem = h('span', { class: 'job-error', role: 'alert', hidden: true });
  const ask = () => {
    if (cancelling.has(job.jobId)) return;
    cancelling.add(job.jobId);
    button.disabled = true;
    button.textContent = 'Cancelling…';
    cancel().catch((error: unknown) => {
      cancelling.delete(job.jobId);
      button.disabled = false;
      button.textContent = 'Cancel';
      problem.hidden = false;
      problem.textContent = `Could not cancel: ${(error as Error).message}`;
    });
  };
  // Asked on the press: the progress is redrawn many times a second, and a click whose press and
  // release meet two drawings of the button is never delivered. Click stays for the keyboard.
  button.addEventListener('pointerdown', (event) => {
    if (event.button === 0) ask();
  });
  button.onclick = ask;
  if (job.state !== 'running') cancelling.delete(job.jobId);
  const stagesDone = job.stages.filter((stage) => stage.tasks.total > 0 && stage.tasks.done === stage.tasks.total).length;
  return h('div', { class: `job-progress state-${job.state}`, 'data-job': job.jobId, 'data-state': job.state },
    h('div', { class: 'progress-head' },
      h('strong', { title: job.jobId }, `Job ${index + 1}`),
      h('span', { class: 'badge' }, job.state),
      h('span', { class: 'muted' }, `${stagesDone}/${job.stages.length} stages · ${counts(job.tasks)}`),
      button),
    problem,
    ...job.stages.map((stage) => h('div', { class: 'progress-stage', 'data-stage': String(stage.id) },
      h('span', { class: 'progress-name', title: stage.description }, `Stage ${stage.id}: ${stage.description}`),
      taskBar(stage.tasks, `tasks of stage ${stage.id}`),
      h('span', { class: 'progress-count' }, counts(stage.tasks)))));
}

function counts(tasks: TaskCounts): string {
  return `${tasks.done}/${tasks.total} tasks${tasks.running ? `, ${tasks.running} running` : ''}${tasks.failed ? `, ${tasks.failed} failed` : ''}`;
}

/** Why the payload cannot be drawn, or undefined when it can. */
function malformed(payload: { jobs?: unknown } | undefined): string | undefined {
  if (!payload || !Array.isArray(payload.jobs)) return 'expected { jobs: [...] }';
  for (const job of payload.jobs as Partial<JobProgress>[]) {
    if (typeof job?.jobId !== 'string' || !Array.isArray(job.stages) || !isCounts(job.tasks)) return 'each job needs jobId, tasks and stages[]';
    if (!job.stages.every((stage) => isCounts(stage?.tasks))) return `a stage of job ${job.jobId} has no task counts`;
  }
  return undefined;
}

function isCounts(value: unknown): value is TaskCounts {
  const tasks = value as Partial<TaskCounts> | undefined;
  return typeof tasks?.total === 'number' && typeof tasks.done === 'number' && typeof tasks.running === 'number' && typeof tasks.failed === 'number';
}
