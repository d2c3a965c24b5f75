import type { ServerConnection } from '@jupyterlab/services';
import { clear, formatBytes, h } from '../dom.js';
import { type ClusterWorker, getCluster, resizeTaskWorkers } from '../server/quire-api.js';
import { jobList } from './job-list.js';
import { type OwnedJob, StageTimings } from './notebook-jobs.js';
import { sparkline } from './sparkline.js';

const POLL_MS = 1_000;
const HISTORY = 60;

/**
 * The local cluster: one row per worker (role, state, CPU and memory sparklines over the last minute,
 * running tasks), buttons to add or drain a task worker, and the jobs of the notebook on show with their
 * stages and timings. A notebook's jobs are those its kernel submitted: the kernel gives the cluster the
 * notebook's path as their owner. Polls the server only while visible.
 */
export class ClusterPanel {
  readonly element: HTMLElement;
  private workersHost: HTMLElement;
  private jobsHost: HTMLElement;
  private scope: HTMLElement;
  private error: HTMLElement;
  private cpu = new Map<string, number[]>();
  private rss = new Map<string, number[]>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private taskTarget = 0;
  private removeTask: HTMLButtonElement;
  private readonly timings: StageTimings;
  /** Jobs whose stages are shown: a running job opens by itself, and what the user opens or closes stays so. */
  private readonly expanded = new Set<string>();
  private readonly seen = new Set<string>();

  /** `notebookOwner`: the owner of the jobs of the notebook on show (NotebookSession.jobOwner), null when none is. */
  constructor(
    private readonly settings: ServerConnection.ISettings,
    private readonly notebookOwner: () => string | null,
  ) {
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
      h('h3', {}, 'Jobs of this notebook'),
      this.scope = h('p', { class: 'owner-scope' }),
      this.jobsHost);
    this.timings = new StageTimings(settings);
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
      const owner = this.notebookOwner();
      const mine = owner === null ? [] : (status.jobs as OwnedJob[]).filter((job) => job.owner === owner);
      await this.timings.refresh(mine);
      this.renderJobs(owner, mine, status.jobs.length - mine.length);
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
      table.append(h('div', { class: 'worker-row', role: 'row', 'data-worker': worker.id, 'data-role': worker.role, 'data-state': worker.state },
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

  private renderJobs(owner: string | null, jobs: OwnedJob[], others: number): void {
    this.scope.textContent = owner ?? 'Open a notebook to see its jobs.';
    for (const job of jobs) {
      if (!this.seen.has(job.jobId) && job.state === 'running') this.expanded.add(job.jobId);
      this.seen.add(job.jobId);
    }
    clear(this.jobsHost);
    if (jobs.length === 0) this.jobsHost.append(h('p', { class: 'empty' }, owner === null ? '' : 'This notebook has run no cluster jobs yet.'));
    this.jobsHost.append(...jobList(jobs.slice(-20), (id) => this.timings.get(id), this.expanded));
    if (others > 0) this.jobsHost.append(h('p', { class: 'muted' }, `${others} more job${others === 1 ? '' : 's'} of other notebooks or drivers on this cluster.`));
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
