import { formatDuration, h } from '../dom.js';
import type { OwnedJob, StageTiming } from './notebook-jobs.js';
import { taskBar } from './task-bar.js';

/**
 * One notebook's cluster jobs, newest first: state, tasks and duration, and per stage its tasks, start and
 * duration. `expanded` holds the jobs whose stages are shown; it is kept across refreshes.
 */
export function jobList(jobs: OwnedJob[], timings: (jobId: string) => StageTiming[] | undefined, expanded: Set<string>): HTMLElement[] {
  return jobs.slice().reverse().map((job) => {
    const { tasks } = job.progress;
    const details = h('details', { class: `job state-${job.state}`, 'data-job': job.jobId, 'data-state': job.state, open: expanded.has(job.jobId) },
      h('summary', {},
        h('strong', { class: 'job-title', title: job.description }, job.description || `Job ${job.jobId}`),
        h('span', { class: 'badge' }, job.state),
        h('span', { class: 'muted' }, `${tasks.done}/${tasks.total} tasks · ${formatDuration(job.durationMs)}`)),
      job.error ? h('p', { class: 'job-error' }, job.error) : null,
      stageTable(job, timings(job.jobId)));
    details.addEventListener('toggle', () => (details.open ? expanded.add(job.jobId) : expanded.delete(job.jobId)));
    return details;
  });
}

function stageTable(job: OwnedJob, timings: StageTiming[] | undefined): HTMLElement {
  const submitted = Date.parse(job.submittedAt);
  const byId = new Map((timings ?? []).map((stage) => [stage.id, stage]));
  const columns = ['stage-name', 'stage-bar', 'stage-tasks', 'stage-time', 'stage-time'].map((name) => h('col', { class: name }));
  return h('table', { class: 'stage-table' },
    h('colgroup', {}, ...columns),
    h('thead', {}, h('tr', {}, ...['Stage', 'Tasks', '', 'Started', 'Took'].map((title) => h('th', {}, title)))),
    h('tbody', {}, ...job.progress.stages.map((stage) => {
      const timing = byId.get(stage.id);
      const started = timing?.startedAt ? Date.parse(timing.startedAt) : undefined;
      const finished = timing?.finishedAt ? Date.parse(timing.finishedAt) : undefined;
      const took = started === undefined ? '' : finished !== undefined ? formatDuration(finished - started) : job.state === 'running' ? `${formatDuration(Date.now() - started)}…` : '—';
      const counts = `${stage.tasks.done}/${stage.tasks.total}${stage.tasks.failed ? `, ${stage.tasks.failed} failed` : ''}`;
      return h('tr', { 'data-stage': String(stage.id) },
        h('td', { class: 'stage-name', title: stage.description }, `${stage.id}: ${stage.description}`),
        h('td', {}, taskBar(stage.tasks, `tasks of stage ${stage.id}`)),
        h('td', { class: 'stage-tasks' }, counts),
        h('td', { class: 'stage-started' }, started === undefined ? 'waiting' : `+${formatDuration(started - submitted)}`),
        h('td', { class: 'stage-took' }, took));
    })));
}
