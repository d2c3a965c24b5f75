import type { ServerConnection } from '@jupyterlab/services';
import { clear, formatBytes, formatDuration, h } from '../dom.js';
import { type ClusterJob, type ClusterWorker, addTaskWorker, getCluster, getJobs, removeWorker } from '../server/quire-api.js';
import { sparkline } from './sparkline.js';

const POLL_MS = 1_000;
const HISTORY = 60;

/**
 * The local cluster: one row per worker (role, state, CPU and memory sparklines over the last minute,
 * running tasks), buttons to add or remove task workers, and this notebook's jobs with their stages.
 * Polls the server only while visible.
 */
export class ClusterPanel {
  readonly element: HTMLElement;
  private workersHost: HTMLElement;
  private jobsHost: HTMLElement;
  private error: HTMLElement;
  private cpu = new Map<string, number[]>();
  private rss = new Map<string, number[]>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly settings: ServerConnection.ISettings, private readonly notebookPath: () => string | null) {
    this.workersHost = h('div', { class: 'workers' });
    this.jobsHost = h('div', { class: 'jobs' });
    this.error = h('div', { class: 'file-error', role: 'alert', hidden: true });
    this.element = h('aside', { class: 'side-panel cluster-panel', 'aria-label': 'Cluster' },
      h('header', {}, h('h2', {}, 'Cluster'),
        h('button', { class: 'ghost', 'data-action': 'add-worker', onclick: () => void this.act(() => addTaskWorker(this.settings)) }, '+ Task worker')),
      this.error,
      this.workersHost,
      h('h3', {}, 'Jobs of this notebook'),
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
      this.renderWorkers(status.workers);
      const path = this.notebookPath();
      this.renderJobs(path ? await getJobs(this.settings, path) : []);
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
      h('div', { class: 'worker-row head', role: 'row' }, ...['Worker', 'State', 'CPU', 'Memory', 'Tasks', ''].map((t) => h('span', { role: 'columnheader' }, t))));
    for (const worker of workers) {
      const cpu = remember(this.cpu, worker.id, worker.cpu);
      const rss = remember(this.rss, worker.id, worker.rssBytes);
      const remove = worker.role === 'task'
        ? h('button', { class: 'ghost icon danger', title: `Stop worker ${worker.id}`, onclick: () => void this.act(() => removeWorker(this.settings, worker.id)) }, '✕')
        : h('span', {});
      table.append(h('div', { class: 'worker-row', role: 'row', 'data-worker': worker.id },
        h('span', { class: 'worker-id' }, h('strong', {}, worker.id), h('span', { class: 'muted' }, ` ${worker.role} · pid ${worker.pid}`)),
        h('span', { class: `state state-${worker.state}` }, worker.state),
        h('span', { class: 'metric' }, sparkline(cpu, { max: 100, label: `CPU of ${worker.id}` }), h('span', {}, `${Math.round(worker.cpu)}%`)),
        h('span', { class: 'metric' }, sparkline(rss, { label: `memory of ${worker.id}` }), h('span', {}, formatBytes(worker.rssBytes))),
        h('span', { class: 'tasks' }, String(worker.runningTasks)),
        remove));
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
      const elapsed = job.startedAt ? (job.finishedAt ?? Date.now()) - job.startedAt : null;
      this.jobsHost.append(h('details', { class: `job state-${job.state}` },
        h('summary', {}, h('strong', {}, job.description ?? `Job ${job.id}`), h('span', { class: 'badge' }, job.state), elapsed !== null ? h('span', { class: 'muted' }, formatDuration(elapsed)) : null),
        h('ol', { class: 'stages' }, ...job.stages.map((stage) => {
          const took = stage.startedAt ? (stage.finishedAt ?? Date.now()) - stage.startedAt : null;
          return h('li', {}, `Stage ${stage.id}: ${stage.name} — ${stage.tasksDone}/${stage.tasksTotal} tasks, ${stage.state}${took !== null ? `, ${formatDuration(took)}` : ''}`);
        }))));
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
