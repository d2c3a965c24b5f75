import { h } from '../dom.js';
import type { TaskCounts } from '../server/quire-api.js';
import './jobs.css';

/**
 * A stage's (or job's) tasks as one bar: done, running and failed segments over the total, with the done
 * fraction as the progressbar's value. Used by the inline progress of a cell and by the cluster panel.
 */
export function taskBar(tasks: TaskCounts, label: string): HTMLElement {
  const percent = (n: number) => (tasks.total > 0 ? (100 * n) / tasks.total : 0);
  const segment = (kind: string, n: number) => h('div', { class: `task-segment ${kind}`, style: `width:${percent(n).toFixed(1)}%` });
  return h('div', {
    class: 'progress-bar task-bar',
    role: 'progressbar',
    'aria-label': label,
    'aria-valuemin': 0,
    'aria-valuemax': 100,
    'aria-valuenow': Math.round(percent(tasks.done)),
  }, segment('done', tasks.done), segment('running', tasks.running), segment('failed', tasks.failed));
}
