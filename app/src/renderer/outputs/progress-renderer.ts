import { h } from '../dom.js';
import { cancelJob } from '../server/quire-api.js';
import type { MimeRenderer } from './types.js';

/**
 * Job progress, sent by the kernel as display_data and refreshed with update_display_data on the
 * same display_id. Shape of `application/vnd.quire.progress+json`:
 * `{ jobId, description?, state: 'running'|'succeeded'|'failed'|'cancelled', stages: [{ id, name, tasksDone, tasksTotal, state }] }`.
 */
export const PROGRESS_MIME = 'application/vnd.quire.progress+json';

export interface JobProgress {
  jobId: string;
  description?: string;
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  stages: Array<{ id: string | number; name: string; tasksDone: number; tasksTotal: number; state?: string }>;
}

export const progressRenderer: MimeRenderer = {
  mimeType: PROGRESS_MIME,
  render(host, data, context) {
    const job = data[PROGRESS_MIME] as JobProgress;
    if (!job || !Array.isArray(job.stages)) {
      host.append(h('div', { class: 'output-warning' }, `malformed ${PROGRESS_MIME} payload: expected { jobId, state, stages[] }`));
      return;
    }
    const cancel = h('button', {
      class: 'ghost danger',
      onclick: () => {
        cancel.disabled = true;
        cancelJob(context.settings, job.jobId).catch((error: unknown) => {
          cancel.disabled = false;
          cancel.title = (error as Error).message;
        });
      },
    }, 'Cancel');
    cancel.hidden = job.state !== 'running';
    const stages = job.stages.map((stage) => {
      const fraction = stage.tasksTotal > 0 ? stage.tasksDone / stage.tasksTotal : 0;
      return h('div', { class: 'progress-stage' },
        h('span', { class: 'progress-name' }, `Stage ${stage.id}: ${stage.name}`),
        h('div', { class: 'progress-bar', role: 'progressbar', 'aria-valuenow': Math.round(fraction * 100), 'aria-valuemin': 0, 'aria-valuemax': 100 },
          h('div', { class: 'progress-fill', style: `width:${(fraction * 100).toFixed(1)}%` })),
        h('span', { class: 'progress-count' }, `${stage.tasksDone}/${stage.tasksTotal} tasks`));
    });
    host.append(h('div', { class: `job-progress state-${job.state}` },
      h('div', { class: 'progress-head' }, h('strong', {}, job.description ?? `Job ${job.jobId}`), h('span', { class: 'badge' }, job.state), cancel),
      ...stages));
  },
};
