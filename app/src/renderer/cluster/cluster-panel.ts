import type { ServerConnection } from '@jupyterlab/services';
import { clear, formatBytes, formatDuration, h } from '../dom.js';
import { type ClusterJob, type ClusterWorker, getCluster, resizeTaskWorkers } from '../server/quire-api.js';
import { sparkline } from './sparkline.js';

const POLL_MS = 1_000;
const HISTORY = 60;

/**
 * The local cluster: one row per worker (role, state, CPU and memory sparklines over the last minute,
 * running tasks), buttons to add or drain a task worker, and the cluster's recent jobs with their stages.
 * Jobs are not tagged with the notebook that ran them, so every recent job is listed. Polls the server only
 * while visible.
 */
export class ClusterPanel {
  readonly element: HTMLElement;
  private workersHost: HTMLElement;
  private jobsHost: HTMLElement;
  private error: HTMLElement;
  private cpu = new Map<string, number[]>();
  private rss = new Map<string, number[]>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private taskTarget = 0;
  private removeTask: HTMLButtonElement;

  constructor(private readonly settings: ServerConnection.ISettings) {
    this.workersHost = h('div', { class: 'workers' });
    this.jobsHost = h('div', { class: 'jobs' });
    this.error = h('div', { class: 'file-error', role: 'alert', hidden: true });
    this.element = h('aside', { class: 'side-panel cluster-panel', 'aria-label': 'Cluster' },
      h('header', {}, h('h2', {}, 'Cluster'),
        h('span', { class: 'header-actions' },
          this.removeTask = h('button', { class: 'ghost', 'data-action': 'remove-worker', title: 'Drain one task worker (it leaves after its running tasks)', disabled: true, onclick: () => void this.act(() => resizeTaskWorkers(this.settings, this.taskTarget - 1)) }, '− Task worker'),
          h('button', { class: 'ghost', 'data-action': 'add-worker', title: 'Start one more task worker', onclick: () => void this.act(() => resizeTaskWorkers(this.settings, this.taskTarget + 1)) }, '+ Task worker'))),
      this.error,
      this.workersHost,
      h('h3', {}, 'Recent jobs'),
      this.jobsHost);
  }

  start(): void {
    if (this.timer) return;
    void this.poll();
    this.timer = setInterval(() => void this.poll(), POLL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async poll(): Promise<void> {
    try {
      const status = await getCluster(this.settings);
      this.taskTarget = status.size.task;
      this.removeTask.disabled = status.size.task === 0;
      this.renderWorkers(status.workers);
      this.renderJobs(status.jobs);
      this.error.hidden = true;
    } catch (error) {
      this.error.hidden = false;
      this.error.textContent = `Cluster status unavailable: ${(error as Error).message}`;
    }
  }

  private renderWorkers(workers: ClusterWorker[]): void {
    clear(this.workersHost);
    if (workers.length === 0) this.workersHost.append(h('p', { class: 'empty' }, 'No workers are running.'));
    const table = h('div', { class: 'worker-table', role: 'table' },
      h('div', { class: 'worker-row head', role: 'row' }, ...['Worker', 'State', 'CPU', 'Memory', 'Tasks'].map((t) => h('span', { role: 'columnheader' }, t))));
    for (const worker of workers) {
      const cpu = remember(this.cpu, worker.id, worker.cpu);
      const rss = remember(this.rss, worker.id, worker.rssBytes);
      table.append(h('div', { class: 'worker-row', role: 'row', 'data-worker': worker.id },
        h('span', { class: 'worker-id' }, h('strong', {}, worker.id), h('span', { class: 'muted' }, ` ${worker.role} · pid ${worker.pid}`)),
        h('span', { class: `state state-${worker.state}` }, worker.state),
        h('span', { class: 'metric' }, sparkline(cpu, { max: 100, label: `CPU of ${worker.id}` }), h('span', {}, `${Math.round(worker.cpu)}%`)),
        h('span', { class: 'metric' }, sparkline(rss, { label: `memory of ${worker.id}` }), h('span', {}, formatBytes(worker.rssBytes))),
        h('span', { class: 'tasks' }, String(worker.runningTasks))));
    }
    this.workersHost.append(table);
    for (const id of [...this.cpu.keys()]) {
      if (!workers.some((w) => w.id === id)) {
        this.cpu.delete(id);
        this.rss.delete(id);
      }
    }
  }

  private renderJobs(jobs: ClusterJob[]): void {
    clear(this.jobsHost);
    if (jobs.length === 0) this.jobsHost.append(h('p', { class: 'empty' }, 'No jobs yet.'));
    for (const job of jobs.slice(-20).reverse()) {
      const { tasks } = job.progress;
      this.jobsHost.append(h('details', { class: `job state-${job.state}`, 'data-job': job.jobId },
        h('summary', {},
          h('strong', { class: 'job-title', title: job.description }, job.description || `Job ${job.jobId}`),
          h('span', { class: 'badge' }, job.state),
          h('span', { class: 'muted' }, `${tasks.done}/${tasks.total} tasks · ${formatDuration(job.durationMs)}`)),
        job.error ? h('p', { class: 'job-error' }, job.error) : null,
        h('ol', { class: 'stages' }, ...job.progress.stages.map((stage) =>
          h('li', {}, `Stage ${stage.id}: ${stage.description} — ${stage.tasks.done}/${stage.tasks.total} tasks${stage.tasks.failed ? `, ${stage.tasks.failed} failed` : ''}`)))));
    }
  }

  private async act(operation: () => Promise<unknown>): Promise<void> {
    try {
      await operation();
      await this.poll();
    } catch (error) {
      this.error.hidden = false;
      this.error.textContent = (error as Error).message;
    }
  }
}

function remember(history: Map<string, number[]>, id: string, value: number): number[] {
  const samples = history.get(id) ?? [];
  samples.push(value);
  if (samples.length > HISTORY) samples.shift();
  history.set(id, samples);
  return samples;
}
