import { h, keepChildren } from '../dom.js';
import { type TaskCounts, cancelJob } from '../server/quire-api.js';
import { showTasks, taskBar } from '../cluster/task-bar.js';
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

/** Jobs whose cancel was asked for: they stay marked when their progress is drawn anew (a re-rendered cell). */
const cancelling = new Set<string>();

/** The job views drawn into each output, so newer progress of the same display moves them in place. */
const drawn = new WeakMap<HTMLElement, Map<string, JobView>>();

export const progressRenderer: MimeRenderer = {
  mimeType: PROGRESS_MIME,
  render(host, data, context) {
    const jobs = jobsOf(host, data);
    if (!jobs) return;
    const views = new Map<string, JobView>();
    jobs.forEach((job, index) => views.set(job.jobId, new JobView(job, index, () => cancelJob(context.settings, job.jobId))));
    drawn.set(host, views);
    host.append(h('div', { class: 'cell-jobs' }, ...[...views.values()].map((view) => view.element)));
  },
  // The kernel sends newer progress many times a second. Moving the drawn bars keeps the cancel button the same
  // element, so a press and its release (or a hover, or focus) are never split across two drawings.
  redraw(host, data, context) {
    const views = drawn.get(host);
    const list = host.querySelector<HTMLElement>('.cell-jobs');
    if (!views || !list) {
      host.replaceChildren();
      this.render(host, data, context);
      return;
    }
    const jobs = jobsOf(host, data);
    if (!jobs) return;
    const next = new Map<string, JobView>();
    jobs.forEach((job, index) => {
      const view = views.get(job.jobId) ?? new JobView(job, index, () => cancelJob(context.settings, job.jobId));
      view.show(job, index);
      next.set(job.jobId, view);
    });
    keepChildren(list, [...next.values()].map((view) => view.element));
    drawn.set(host, next);
  },
};

/** The payload's jobs, or undefined after drawing what is wrong with it. */
function jobsOf(host: HTMLElement, data: Record<string, unknown>): JobProgress[] | undefined {
  const payload = data[PROGRESS_MIME] as { jobs?: unknown } | undefined;
  const problem = malformed(payload);
  if (!problem) return (payload as { jobs: JobProgress[] }).jobs;
  drawn.delete(host);
  host.replaceChildren(h('div', { class: 'output-warning' }, `malformed ${PROGRESS_MIME} payload: ${problem}`));
  return undefined;
}

/** One job: its head (state, counts, cancel button) and a bar per stage, kept and moved as the job runs. */
class JobView {
  readonly element: HTMLElement;
  private readonly title = h('strong', {});
  private readonly badge = h('span', { class: 'badge' });
  private readonly summary = h('span', { class: 'muted' });
  private readonly button = h('button', { class: 'ghost danger', 'data-action': 'cancel-job', title: 'Stop this job on the cluster' });
  private readonly problem = h('span', { class: 'job-error', role: 'alert', hidden: true });
  private readonly stages = new Map<number, { row: HTMLElement; name: HTMLElement; bar: HTMLElement; count: HTMLElement }>();

  constructor(private job: JobProgress, index: number, private readonly cancel: () => Promise<unknown>) {
    this.element = h('div', { 'data-job': job.jobId },
      h('div', { class: 'progress-head' }, this.title, this.badge, this.summary, this.button),
      this.problem);
    // Asked on the press, which needs no release on the same element; click stays for the keyboard.
    this.button.addEventListener('pointerdown', (event) => {
      if (event.button === 0) this.ask();
    });
    this.button.onclick = () => this.ask();
    this.show(job, index);
  }

  show(job: JobProgress, index: number): void {
    this.job = job;
    if (job.state !== 'running') cancelling.delete(job.jobId);
    const asked = cancelling.has(job.jobId);
    this.element.className = `job-progress state-${job.state}`;
    this.element.dataset.state = job.state;
    this.title.title = job.jobId;
    this.title.textContent = `Job ${index + 1}`;
    this.badge.textContent = job.state;
    const stagesDone = job.stages.filter((stage) => stage.tasks.total > 0 && stage.tasks.done === stage.tasks.total).length;
    this.summary.textContent = `${stagesDone}/${job.stages.length} stages · ${counts(job.tasks)}`;
    this.button.hidden = job.state !== 'running';
    this.button.disabled = asked;
    this.button.textContent = asked ? 'Cancelling…' : 'Cancel';
    const seen = new Set<number>();
    for (const stage of job.stages) {
      seen.add(stage.id);
      let view = this.stages.get(stage.id);
      if (!view) {
        const name = h('span', { class: 'progress-name' });
        const bar = taskBar(stage.tasks, `tasks of stage ${stage.id}`);
        const count = h('span', { class: 'progress-count' });
        view = { row: h('div', { class: 'progress-stage', 'data-stage': String(stage.id) }, name, bar, count), name, bar, count };
        this.stages.set(stage.id, view);
      }
      view.name.title = stage.description;
      view.name.textContent = `Stage ${stage.id}: ${stage.description}`;
      showTasks(view.bar, stage.tasks);
      view.count.textContent = counts(stage.tasks);
    }
    for (const id of [...this.stages.keys()].filter((id) => !seen.has(id))) this.stages.delete(id);
    // After the head and the error line, the rows as the payload lists the stages.
    keepChildren(this.element, job.stages.map((stage) => this.stages.get(stage.id)!.row), 2);
  }

  private ask(): void {
    const jobId = this.job.jobId;
    if (cancelling.has(jobId)) return;
    cancelling.add(jobId);
    this.button.disabled = true;
    this.button.textContent = 'Cancelling…';
    this.cancel().catch((error: unknown) => {
      cancelling.delete(jobId);
      this.button.disabled = false;
      this.button.textContent = 'Cancel';
      this.problem.hidden = false;
      this.problem.textContent = `Could not cancel: ${(error as Error).message}`;
    });
  }
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
