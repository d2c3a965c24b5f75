/**
 * The master's worker processes: starts them in a role, tracks their slots, heartbeats, samples
 * and running tasks, declares silent ones lost, replaces workers that die unasked, and takes
 * workers out of service (drained, retired after decommissioning, or killed).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataHolder, FreeWorker, TaskDispatcher } from '../scheduler/scheduler.js';
import type { MasterToWorker, TaskAssignment, WorkerToMaster } from './protocol.js';
import type { WorkerProcessConfig } from './process-config.js';
import { spawnClusterProcess } from './spawn-process.js';
import type { WorkerRole, WorkerSample, WorkerState, WorkerStatus } from './types.js';

const SHUTDOWN_GRACE_MS = 2000;
const SAMPLE_MS = 1000;
const HISTORY_SAMPLES = 60;

export interface WorkerPoolOptions {
  scratchDir: string;
  memoryPerWorker?: string;
  threadsPerWorker?: number;
  tasksPerWorker: number;
  heartbeatTimeoutMs: number;
  bootstrap: string[];
  onMessage(workerId: string, message: WorkerToMaster): void;
  /** The worker is gone (died, killed, silent, or retired): whatever it ran or held is lost. */
  onWorkerLost(workerId: string): void;
  onWorkerState(worker: WorkerStatus): void;
  /** Whether the master still needs a worker's files (outputs being copied off it, tasks reading them). */
  filesInUse(workerId: string): boolean;
  onSample(at: number, workers: WorkerStatus[]): void;
}

interface WorkerHandle {
  id: string;
  role: WorkerRole;
  process: ChildProcess;
  scratchDir: string;
  state: WorkerState;
  running: Set<string>;
  cpu: number;
  rssBytes: number;
  lastHeard: number;
  /** Whether any message came yet: a starting worker is only timed out once it has spoken. */
  heardFrom: boolean;
  /** When it last had no running task. */
  idleSince: number;
  history: WorkerSample[];
  error?: string;
  /** Set when the master takes it out of service: it is not replaced when it exits. */
  leaving: boolean;
}

export class WorkerPool implements TaskDispatcher {
  private readonly workers = new Map<string, WorkerHandle>();
  private nextId = 1;
  private stopping = false;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Starts the workers and resolves when every one is ready or failed its bootstrap. */
  async start(core: number, task: number): Promise<void> {
    const started = [...this.add('core', core), ...this.add('task', task)];
    this.timers.push(setInterval(() => this.checkHeartbeats(), Math.min(500, this.options.heartbeatTimeoutMs / 2)));
    this.timers.push(setInterval(() => this.sample(), SAMPLE_MS));
    await Promise.all(started.map((id) => this.whenStarted(id)));
  }

  /** Starts `count` workers of a role; they take tasks once ready. */
  add(role: WorkerRole, count: number): string[] {
    return Array.from({ length: count }, () => this.spawnWorker(role));
  }

  private readonly startWaiters = new Map<string, () => void>();

  private whenStarted(id: string): Promise<void> {
    const worker = this.workers.get(id);
    if (!worker || worker.state !== 'starting') return Promise.resolve();
    return new Promise((resolve) => this.startWaiters.set(id, resolve));
  }

  private spawnWorker(role: WorkerRole): string {
    const id = `w${this.nextId++}`;
    const scratchDir = join(this.options.scratchDir, 'workers', id);
    mkdirSync(scratchDir, { recursive: true });
    const config: WorkerProcessConfig = {
      workerId: id, scratchDir, memoryLimit: this.options.memoryPerWorker, threads: this.options.threadsPerWorker, bootstrap: this.options.bootstrap,
    };
    const child = spawnClusterProcess('worker', config);
    const now = Date.now();
    const handle: WorkerHandle = {
      id, role, process: child, scratchDir, state: 'starting', running: new Set(), cpu: 0, rssBytes: 0, lastHeard: now, heardFrom: false, idleSince: now, history: [], leaving: false,
    };
    this.workers.set(id, handle);
    child.on('message', (message: WorkerToMaster) => this.received(handle, message));
    child.on('exit', (code, signal) => this.exited(handle, code, signal));
    this.options.onWorkerState(this.statusOf(handle));
    return id;
  }

  private received(handle: WorkerHandle, message: WorkerToMaster): void {
    handle.lastHeard = Date.now();
    handle.heardFrom = true;
    switch (message.type) {
      case 'ready':
        this.setState(handle, 'idle');
        this.startWaiters.get(handle.id)?.();
        break;
      case 'bootstrapFailed':
        handle.error = message.error;
        this.setState(handle, 'failed');
        this.startWaiters.get(handle.id)?.();
        break;
      case 'heartbeat':
        handle.cpu = message.cpuPercent;
        handle.rssBytes = message.rssBytes;
        break;
      case 'taskSucceeded':
      case 'taskFailed':
        handle.running.delete(message.taskKey);
        break;
    }
    this.options.onMessage(handle.id, message);
    // Only after the master has taken the report: a draining task worker retires once its files are
    // free, and the master starts copying a finished task's output off the worker as it takes it.
    // Judged before, the worker left (and its scratch directory went) under the copy: ENOENT.
    if (message.type === 'taskSucceeded' || message.type === 'taskFailed') this.refreshState(handle);
  }

  private exited(handle: WorkerHandle, code: number | null, signal: NodeJS.Signals | null): void {
    const { id, scratchDir } = handle;
    const wasStarting = handle.state === 'starting';
    if (handle.state !== 'failed') {
      if (wasStarting) handle.error ??= `exited while starting (code ${code}, signal ${signal})`;
      else if (!handle.leaving) handle.error ??= `exited (code ${code}, signal ${signal})`;
      this.setState(handle, wasStarting ? 'failed' : 'dead');
    }
    handle.running.clear();
    this.startWaiters.get(id)?.();
    this.startWaiters.delete(id);
    if (this.stopping) return;
    this.options.onWorkerLost(id);
    // Failed workers stay listed with their error; the others go, and what they held goes with them.
    if (handle.state !== 'failed') this.workers.delete(id);
    rm(scratchDir, { recursive: true, force: true }).catch((error: unknown) => console.error(`quire master: could not remove ${scratchDir}:`, error));
    // A worker that dies unasked is replaced so the cluster keeps its size; one that cannot start is not (it would loop).
    if (!handle.leaving && !wasStarting && handle.state !== 'failed') this.spawnWorker(handle.role);
  }

  /** A worker silent for longer than the heartbeat timeout (stopped, hung, or its host gone) is lost. */
  private checkHeartbeats(): void {
    const now = Date.now();
    for (const handle of this.workers.values()) {
      if (handle.state === 'dead' || handle.state === 'failed' || (handle.state === 'starting' && !handle.heardFrom)) continue;
      if (now - handle.lastHeard <= this.options.heartbeatTimeoutMs) continue;
      handle.error = `no heartbeat for ${now - handle.lastHeard} ms`;
      this.setState(handle, handle.state === 'starting' ? 'failed' : 'dead');
      // SIGKILL also ends a stopped process; its exit handler then reports the loss.
      handle.process.kill('SIGKILL');
    }
  }

  private sample(): void {
    const t = Date.now();
    for (const handle of this.workers.values()) {
      if (handle.state === 'dead' || handle.state === 'failed') continue;
      handle.history.push({ t, cpu: handle.cpu, rssBytes: handle.rssBytes, runningTasks: handle.running.size });
      if (handle.history.length > HISTORY_SAMPLES) handle.history.shift();
    }
    this.options.onSample(t, this.status());
  }

  private setState(handle: WorkerHandle, state: WorkerState): void {
    if (handle.state === state) return;
    handle.state = state;
    this.options.onWorkerState(this.statusOf(handle));
  }

  private refreshState(handle: WorkerHandle): void {
    if (handle.running.size === 0) handle.idleSince = Date.now();
    if (handle.state === 'draining' && handle.running.size === 0) return this.retireWhenFilesFree(handle.id);
    if (handle.state !== 'idle' && handle.state !== 'busy') return;
    this.setState(handle, handle.running.size > 0 ? 'busy' : 'idle');
  }

  freeWorkers(): FreeWorker[] {
    return [...this.workers.values()]
      .filter((w) => w.state === 'idle' || w.state === 'busy')
      .map((w) => ({ workerId: w.id, role: w.role, scratchDir: w.scratchDir, freeSlots: this.options.tasksPerWorker - w.running.size }));
  }

  dataHolders(): DataHolder[] {
    return [...this.workers.values()].filter((w) => w.role === 'core' && (w.state === 'idle' || w.state === 'busy')).map((w) => ({ workerId: w.id, scratchDir: w.scratchDir }));
  }

  roleOf(workerId: string): WorkerRole | undefined {
    return this.workers.get(workerId)?.role;
  }

  scratchDirOf(workerId: string): string | undefined {
    return this.workers.get(workerId)?.scratchDir;
  }

  dispatch(workerId: string, task: TaskAssignment): void {
    const worker = this.live(workerId);
    worker.running.add(task.taskKey);
    this.refreshState(worker);
    this.send(worker, { type: 'runTask', task });
  }

  cancel(workerId: string, taskKey: string): void {
    const worker = this.workers.get(workerId);
    if (worker && worker.state !== 'dead') this.send(worker, { type: 'cancelTask', taskKey });
  }

  /** Workers in service (starting, idle or busy) by role. */
  inService(role: WorkerRole): WorkerStatus[] {
    return this.status().filter((w) => w.role === role && (w.state === 'starting' || w.state === 'idle' || w.state === 'busy'));
  }

  idleSince(workerId: string): number | undefined {
    const worker = this.workers.get(workerId);
    return worker && worker.state === 'idle' ? worker.idleSince : undefined;
  }

  /** Takes no more tasks; leaves when its running tasks have finished. */
  drain(workerId: string): void {
    const worker = this.live(workerId);
    worker.leaving = true;
    this.setState(worker, 'draining');
    this.refreshState(worker);
  }

  /** Takes no more tasks while its data moves; `whenIdle` resolves once its running tasks have finished. */
  decommission(workerId: string): Promise<void> {
    const worker = this.live(workerId);
    worker.leaving = true;
    this.setState(worker, 'decommissioning');
    return new Promise((resolve, reject) => {
      const poll = setInterval(() => {
        if (worker.state !== 'decommissioning') {
          clearInterval(poll);
          reject(new Error(`worker ${workerId} was lost while decommissioning`));
        } else if (worker.running.size === 0) {
          clearInterval(poll);
          resolve();
        }
      }, 50);
    });
  }

  /** Puts a decommissioning worker back in service (its data could not move). */
  restore(workerId: string): void {
    const worker = this.workers.get(workerId);
    if (!worker || worker.state !== 'decommissioning') return;
    worker.leaving = false;
    this.setState(worker, 'idle');
    this.refreshState(worker);
  }

  /** Retires a drained worker once the master no longer needs its files. */
  private retireWhenFilesFree(workerId: string): void {
    if (!this.options.filesInUse(workerId)) return this.retire(workerId);
    const poll = setInterval(() => {
      if (this.options.filesInUse(workerId)) return;
      clearInterval(poll);
      this.retire(workerId);
    }, 50);
  }

  /** Asks a worker to exit; it is not replaced. */
  retire(workerId: string): void {
    const worker = this.workers.get(workerId);
    if (!worker) return;
    worker.leaving = true;
    void stopProcess(worker.process, () => this.send(worker, { type: 'shutdown' }));
  }

  /** Kills a worker at once; its running tasks are rerun elsewhere; it is not replaced. */
  kill(workerId: string): void {
    const worker = this.live(workerId);
    worker.leaving = true;
    worker.process.kill('SIGKILL');
  }

  status(): WorkerStatus[] {
    return [...this.workers.values()].map((w) => this.statusOf(w));
  }

  private statusOf(w: WorkerHandle): WorkerStatus {
    return {
      id: w.id, role: w.role, pid: w.process.pid, state: w.state, cpu: w.cpu, rssBytes: w.rssBytes, runningTasks: w.running.size,
      ...(w.error ? { error: w.error } : {}), history: [...w.history],
    };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    await Promise.all([...this.workers.values()].map((w) => stopProcess(w.process, () => this.send(w, { type: 'shutdown' }))));
    await rm(join(this.options.scratchDir, 'workers'), { recursive: true, force: true });
  }

  private live(workerId: string): WorkerHandle {
    const worker = this.workers.get(workerId);
    if (!worker || worker.state === 'dead' || worker.state === 'failed') throw new Error(`worker ${workerId} is not running`);
    return worker;
  }

  private send(worker: WorkerHandle, message: MasterToWorker): void {
    if (worker.process.connected) worker.process.send(message);
  }
}

/** Asks a process to stop, and kills it if it has not exited after a grace period. */
export function stopProcess(child: ChildProcess, askToStop: () => void, graceMs = SHUTDOWN_GRACE_MS): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    askToStop();
  });
}
