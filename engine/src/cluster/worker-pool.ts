/**
 * The master's worker processes: starts them, tracks their slots, heartbeats and running tasks,
 * and replaces a worker that dies so the cluster keeps its size.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { FreeWorker, TaskDispatcher } from '../scheduler/scheduler.js';
import type { MasterToWorker, TaskAssignment, WorkerToMaster } from './protocol.js';
import type { WorkerProcessConfig } from './process-config.js';
import { spawnClusterProcess } from './spawn-process.js';
import type { WorkerState, WorkerStatus } from './types.js';

const SHUTDOWN_GRACE_MS = 2000;

export interface WorkerPoolOptions {
  scratchDir: string;
  workers: number;
  memoryPerWorker?: string;
  threadsPerWorker?: number;
  tasksPerWorker: number;
  onMessage(workerId: string, message: WorkerToMaster): void;
  onWorkerLost(workerId: string): void;
}

interface WorkerHandle {
  id: string;
  process: ChildProcess;
  scratchDir: string;
  state: WorkerState;
  running: Set<string>;
  cpu: number;
  rssBytes: number;
}

export class WorkerPool implements TaskDispatcher {
  private readonly workers = new Map<string, WorkerHandle>();
  private nextId = 1;
  private stopping = false;

  constructor(private readonly options: WorkerPoolOptions) {}

  /** Starts the workers and resolves when all have opened their DuckDB. */
  async start(): Promise<void> {
    await Promise.all(Array.from({ length: this.options.workers }, () => this.spawnWorker()));
  }

  private spawnWorker(): Promise<void> {
    const id = `w${this.nextId++}`;
    const scratchDir = join(this.options.scratchDir, 'workers', id);
    mkdirSync(scratchDir, { recursive: true });
    const config: WorkerProcessConfig = { workerId: id, scratchDir, memoryLimit: this.options.memoryPerWorker, threads: this.options.threadsPerWorker };
    const child = spawnClusterProcess('worker', config);
    const handle: WorkerHandle = { id, process: child, scratchDir, state: 'starting', running: new Set(), cpu: 0, rssBytes: 0 };
    this.workers.set(id, handle);
    return new Promise((resolve, reject) => {
      child.on('message', (message: WorkerToMaster) => {
        if (message.type === 'ready') {
          handle.state = 'idle';
          resolve();
        } else if (message.type === 'heartbeat') {
          handle.cpu = message.cpuPercent;
          handle.rssBytes = message.rssBytes;
        } else {
          handle.running.delete(message.taskKey);
          this.refreshState(handle);
        }
        this.options.onMessage(id, message);
      });
      child.on('exit', (code, signal) => {
        const wasStarting = handle.state === 'starting';
        handle.state = 'dead';
        handle.running.clear();
        if (wasStarting) reject(new Error(`worker ${id} exited while starting (code ${code}, signal ${signal})`));
        if (this.stopping) return;
        this.options.onWorkerLost(id);
        this.workers.delete(id);
        // Whatever the dead worker held is treated as lost, as on a lost machine; its spill files go too.
        rm(scratchDir, { recursive: true, force: true }).catch((error: unknown) => console.error(`quire master: could not remove ${scratchDir}:`, error));
        this.spawnWorker().catch((error: unknown) => console.error(`quire master: could not replace worker ${id}:`, error));
      });
    });
  }

  private refreshState(handle: WorkerHandle): void {
    if (handle.state === 'dead' || handle.state === 'starting') return;
    handle.state = handle.running.size > 0 ? 'busy' : 'idle';
  }

  freeWorkers(): FreeWorker[] {
    return [...this.workers.values()]
      .filter((w) => w.state === 'idle' || w.state === 'busy')
      .map((w) => ({ workerId: w.id, scratchDir: w.scratchDir, freeSlots: this.options.tasksPerWorker - w.running.size }));
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

  status(): WorkerStatus[] {
    return [...this.workers.values()].map((w) => ({
      id: w.id, role: 'core', pid: w.process.pid, state: w.state, cpu: w.cpu, rssBytes: w.rssBytes, runningTasks: w.running.size, history: [],
    }));
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.workers.values()].map((w) => stopProcess(w.process, () => this.send(w, { type: 'shutdown' }))));
    await rm(join(this.options.scratchDir, 'workers'), { recursive: true, force: true });
  }

  private live(workerId: string): WorkerHandle {
    const worker = this.workers.get(workerId);
    if (!worker || worker.state === 'dead') throw new Error(`worker ${workerId} is not running`);
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
