/**
 * Resizes a running cluster. New workers take tasks at the next scheduling round. A task worker
 * leaves once its running tasks finish (at once with `force`, its tasks rerun elsewhere). A core
 * worker is decommissioned: it takes no new tasks, finishes its running ones, its outputs move to
 * the other core workers, then it exits; the last core worker cannot be removed.
 */
import type { Scheduler } from '../scheduler/scheduler.js';
import type { ClusterEvents } from './cluster-events.js';
import type { ResizeRequest, ResizeResult, WorkerRole, WorkerStatus } from './types.js';
import type { WorkerPool } from './worker-pool.js';

export class ClusterSizer {
  constructor(private readonly pool: WorkerPool, private readonly scheduler: Scheduler, private readonly events: ClusterEvents) {}

  size(): { core: number; task: number } {
    return { core: this.pool.inService('core').length, task: this.pool.inService('task').length };
  }

  /** Applies a resize; throws with the reason when it is refused (nothing changes then). */
  resize(request: ResizeRequest, reason = 'resize requested'): ResizeResult {
    checkRequest(request);
    const core = this.pool.inService('core');
    if (request.core !== undefined && request.core < 1) {
      const last = core.length === 1 ? `${core[0]!.id} is the last core worker` : `removing all ${core.length} core workers`;
      const refusal = `cannot decommission to ${request.core} core workers: ${last}, and no other core worker could hold its shuffle and cache data`;
      this.events.decide({ action: 'refused', role: 'core', workerIds: core.map((w) => w.id), reason: refusal });
      throw new Error(refusal);
    }
    const started: string[] = [];
    const removing: string[] = [];
    for (const role of ['core', 'task'] as const) {
      const target = request[role];
      if (target === undefined) continue;
      const current = this.pool.inService(role);
      if (target > current.length) {
        const ids = this.pool.add(role, target - current.length);
        started.push(...ids);
        this.events.decide({ action: 'add', role, workerIds: ids, reason: `${reason}: ${role} ${current.length} -> ${target}` });
      } else if (target < current.length) {
        const leaving = pickLeaving(current, current.length - target);
        for (const worker of leaving) this.remove(worker.id, role, request.force ?? false);
        removing.push(...leaving.map((w) => w.id));
        const how = request.force ? 'killed, their tasks rerun' : role === 'core' ? 'decommissioned after moving their data' : 'drained after their running tasks';
        this.events.decide({ action: 'remove', role, workerIds: leaving.map((w) => w.id), reason: `${reason}: ${role} ${current.length} -> ${target} (${how})` });
      }
    }
    this.scheduler.schedule();
    return { ...this.size(), started, removing };
  }

  private remove(workerId: string, role: WorkerRole, force: boolean): void {
    if (force) return this.pool.kill(workerId);
    if (role === 'task') return this.pool.drain(workerId);
    void this.decommission(workerId);
  }

  private async decommission(workerId: string): Promise<void> {
    try {
      await this.pool.decommission(workerId);
      const moved = await this.scheduler.evacuate(workerId);
      // Tasks already reading its files (by their old paths) finish before the files go.
      await waitFor(() => !this.scheduler.filesInUse(workerId));
      this.pool.retire(workerId);
      this.events.decide({ action: 'remove', role: 'core', workerIds: [workerId], reason: `decommissioned: moved ${moved} outputs to other core workers` });
    } catch (error) {
      this.pool.restore(workerId);
      this.events.decide({ action: 'refused', role: 'core', workerIds: [workerId], reason: `decommissioning stopped: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
}

function waitFor(condition: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const poll = setInterval(() => {
      if (!condition()) return;
      clearInterval(poll);
      resolve();
    }, 50);
  });
}

/** Idle workers leave first, then those running the fewest tasks, newest first. */
function pickLeaving(workers: WorkerStatus[], count: number): WorkerStatus[] {
  return [...workers].sort((a, b) => a.runningTasks - b.runningTasks || Number(b.id.slice(1)) - Number(a.id.slice(1))).slice(0, count);
}

function checkRequest(request: ResizeRequest): void {
  if (typeof request !== 'object' || request === null) throw new Error('a resize request is an object { core?, task?, force? }');
  for (const key of Object.keys(request)) {
    if (!['core', 'task', 'force'].includes(key)) throw new Error(`unknown resize option ${key}; expected core, task or force`);
  }
  for (const role of ['core', 'task'] as const) {
    const value = request[role];
    if (value !== undefined && (!Number.isInteger(value) || value < 0)) throw new Error(`resize ${role} must be a non-negative integer, got ${JSON.stringify(value)}`);
  }
  if (request.force !== undefined && typeof request.force !== 'boolean') throw new Error(`resize force must be true or false, got ${JSON.stringify(request.force)}`);
  if (request.core === undefined && request.task === undefined) throw new Error('a resize request needs core or task');
}
