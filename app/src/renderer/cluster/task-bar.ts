import { h } from '../dom.js';
import type { TaskCounts } from '../server/quire-api.js';
import './jobs.css';

/**
 * A stage's (or job's) tasks as one bar: done, running and failed segments over the total, with the done
 * fraction as the progressbar's value. Used by the inline progress of a cell and by the cluster panel.
 */
export function taskBar(tasks: TaskCounts, label: string): HTMLElement {
  const bar = h('div', { class: 'progress-bar task-bar', role: 'progressbar', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100 },
    h('div', { class: 'task-segment done' }), h('div', { class: 'task-segment running' }), h('div', { class: 'task-segment failed' }));
  showTasks(bar, tasks);
  return bar;
}

/** Moves a bar made by `taskBar` to newer counts, in place, so its segments slide rather than jump. */
export function showTasks(bar: HTMLElement, tasks: TaskCounts): void {
  const percent = (n: number) => (tasks.total > 0 ? (100 * n) / tasks.total : 0);
  const [done, running, failed] = Array.from(bar.children) as HTMLElement[];
  done!.style.width = `${percent(tasks.done).toFixed(1)}%`;
  running!.style.width = `${percent(tasks.running).toFixed(1)}%`;
  failed!.style.width = `${percent(tasks.failed).toFixed(1)}%`;
  bar.setAttribute('aria-valuenow', String(Math.round(percent(tasks.done))));
}
