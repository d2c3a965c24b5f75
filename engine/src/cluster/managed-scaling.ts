/**
 * Managed scaling: between minTask and maxTask, adds a task worker while more tasks wait for a slot
 * than the threshold (one at a time, once the previous one is up), and drains a task worker idle
 * for longer than the idle timeout. Every decision is logged with its reason.
 */
import type { Scheduler } from '../scheduler/scheduler.js';
import type { ClusterEvents } from './cluster-events.js';
import type { ClusterSizer } from './cluster-sizer.js';
import type { ManagedScalingOptions } from './types.js';
import type { WorkerPool } from './worker-pool.js';

export function checkScalingOptions(options: ManagedScalingOptions): void {
  const { minTask, maxTask } = options;
  if (!Number.isInteger(minTask) || minTask < 0) throw new Error(`scaling.minTask must be a non-negative integer, got ${minTask}`);
  if (!Number.isInteger(maxTask) || maxTask < minTask) throw new Error(`scaling.maxTask must be an integer >= minTask (${minTask}), got ${maxTask}`);
  for (const key of ['queuedTasksThreshold', 'idleTimeoutMs', 'intervalMs'] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0)) throw new Error(`scaling.${key} must be a non-negative number, got ${value}`);
  }
}

export function startManagedScaling(options: ManagedScalingOptions, pool: WorkerPool, scheduler: Scheduler, sizer: ClusterSizer, events: ClusterEvents): () => void {
  const threshold = options.queuedTasksThreshold ?? 0;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30_000;
  let refusedFailedStart = false;
  const decide = () => {
    const task = pool.inService('task');
    // New task workers would fail their start like the last one did: adding more would only loop.
    const failed = pool.status().find((w) => w.role === 'task' && w.state === 'failed');
    if (failed) {
      if (!refusedFailedStart) events.decide({ action: 'refused', role: 'task', workerIds: [failed.id], reason: `managed scaling stopped adding task workers: ${failed.id} failed to start: ${failed.error}` });
      refusedFailedStart = true;
      return;
    }
    if (task.length < options.minTask) {
      sizer.resize({ task: options.minTask }, `managed scaling: below minTask ${options.minTask}`);
      return;
    }
    const queued = scheduler.queuedTasks();
    if (queued > threshold && task.length < options.maxTask && !task.some((w) => w.state === 'starting')) {
      sizer.resize({ task: task.length + 1 }, `managed scaling: ${queued} tasks waiting for a slot (threshold ${threshold}, maxTask ${options.maxTask})`);
      return;
    }
    if (task.length <= options.minTask || queued > 0) return;
    const now = Date.now();
    const idle = task.find((w) => now - (pool.idleSince(w.id) ?? now) >= idleTimeoutMs);
    if (!idle) return;
    const idleFor = now - pool.idleSince(idle.id)!;
    pool.drain(idle.id);
    events.decide({ action: 'remove', role: 'task', workerIds: [idle.id], reason: `managed scaling: idle for ${idleFor} ms (idleTimeoutMs ${idleTimeoutMs}, minTask ${options.minTask})` });
  };
  const timer = setInterval(decide, options.intervalMs ?? 1000);
  return () => clearInterval(timer);
}
