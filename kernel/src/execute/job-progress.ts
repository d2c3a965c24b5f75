/**
 * While a cell's cluster jobs run, one display (with a display_id) shows their stages and tasks, updated in
 * place at most every UPDATE_INTERVAL_MS; when the cell ends the display is withdrawn, so the result takes its
 * place and saved notebooks keep no leftover progress output. The app draws PROGRESS_MIME (bars per stage and a
 * cancel button per running job); other Jupyter front ends show the HTML.
 */
import { randomUUID } from 'node:crypto';
import type { JobProgress } from '@quire/engine';
import type { DisplayBundle } from '../display/bundle.js';
import { escapeHtml } from '../display/html.js';
import type { SparkSession } from './engine-binding.js';
import type { RecordedOutput } from './recorded-output.js';

const UPDATE_INTERVAL_MS = 100;

/** `{ jobs: JobProgress[] }`: each job's id, state, stages (id, description, task counts) and task totals. */
export const PROGRESS_MIME = 'application/vnd.quire.progress+json';

export class CellJobProgress {
  private readonly displayId = randomUUID();
  private readonly jobs = new Map<string, JobProgress>();
  private shown = false;
  private lastUpdate = 0;
  private pending: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    session: SparkSession,
    private readonly output: RecordedOutput,
  ) {
    this.unsubscribe = session.onProgress((progress) => this.onProgress(progress));
  }

  /** Stops listening and removes the progress display. */
  finish(): void {
    this.unsubscribe();
    clearTimeout(this.pending);
    if (this.shown) this.output.withdraw(this.displayId);
  }

  private onProgress(progress: JobProgress): void {
    this.jobs.set(progress.jobId, progress);
    const wait = this.lastUpdate + UPDATE_INTERVAL_MS - Date.now();
    if (wait <= 0) this.render();
    else this.pending ??= setTimeout(() => this.render(), wait);
  }

  private render(): void {
    this.pending = undefined;
    this.lastUpdate = Date.now();
    this.output.display(progressBundle([...this.jobs.values()]), this.displayId, this.shown);
    this.shown = true;
  }
}

export function progressBundle(jobs: JobProgress[]): DisplayBundle {
  const lines = jobs.map((job, index) => {
    const stagesDone = job.stages.filter((s) => s.tasks.total > 0 && s.tasks.done === s.tasks.total).length;
    return {
      label: `job ${index + 1} ${job.state}`,
      detail: `stages ${stagesDone}/${job.stages.length}, tasks ${job.tasks.done}/${job.tasks.total} done${job.tasks.running ? `, ${job.tasks.running} running` : ''}${job.tasks.failed ? `, ${job.tasks.failed} failed` : ''}`,
      fraction: job.tasks.total ? job.tasks.done / job.tasks.total : 0,
    };
  });
  const html = lines
    .map((l) => `<div class="quire-progress"><progress value="${l.fraction.toFixed(3)}" max="1"></progress> ${escapeHtml(l.label)}: ${escapeHtml(l.detail)}</div>`)
    .join('');
  return {
    data: { [PROGRESS_MIME]: { jobs: jobs.map(progressJson) }, 'text/plain': lines.map((l) => `${l.label}: ${l.detail}`).join('\n'), 'text/html': html },
    metadata: {},
  };
}

function progressJson(job: JobProgress) {
  const counts = ({ total, running, done, failed }: JobProgress['tasks']) => ({ total, running, done, failed });
  return {
    jobId: job.jobId,
    state: job.state,
    tasks: counts(job.tasks),
    stages: job.stages.map((stage) => ({ id: stage.id, description: stage.description, tasks: counts(stage.tasks) })),
  };
}
