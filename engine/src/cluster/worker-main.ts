/**
 * A worker process: one DuckDB instance, tasks from the master over the IPC channel. It exits when
 * the master says so or when the channel closes (the master died), so it is never orphaned.
 */
import type { DuckDBInstance } from '@duckdb/node-api';
import { openDuckDB } from '../io/duckdb.js';
import { runBootstrapActions } from './bootstrap.js';
import { exchangeInputStats } from './input-stats.js';
import type { MasterToWorker, WorkerToMaster } from './protocol.js';
import { SpillMonitor } from './spill-monitor.js';
import { RunningTask } from './task-runner.js';
import { watchParent } from './parent-watch.js';
import { readProcessConfig, type WorkerProcessConfig } from './process-config.js';

const HEARTBEAT_MS = 1000;

function send(message: WorkerToMaster): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const config = readProcessConfig<WorkerProcessConfig>('QUIRE_WORKER_CONFIG');
  // Heartbeats start at once so a slow bootstrap is not mistaken for a hung worker.
  const beat = startHeartbeat();
  // Until DuckDB is open there is nothing to interrupt; afterwards running tasks are interrupted first.
  let stop = () => process.exit(0);
  watchParent(() => stop());
  try {
    await runBootstrapActions(config.bootstrap, config.scratchDir);
  } catch (error) {
    send({ type: 'bootstrapFailed', error: error instanceof Error ? error.message : String(error) });
    process.disconnect?.();
    process.exit(1);
  }
  const { instance } = await openDuckDB({ scratchDir: config.scratchDir, memoryLimit: config.memoryLimit, threads: config.threads });
  const running = new Map<string, RunningTask>();
  const spill = new SpillMonitor(instance);

  stop = () => {
    for (const task of running.values()) task.cancel();
    process.exit(0);
  };
  process.on('message', (message: MasterToWorker) => {
    switch (message.type) {
      case 'runTask': {
        const task = new RunningTask(message.task);
        running.set(message.task.taskKey, task);
        void execute(instance, config.scratchDir, task, spill).finally(() => running.delete(message.task.taskKey));
        break;
      }
      case 'cancelTask':
        running.get(message.taskKey)?.cancel();
        break;
      case 'shutdown':
        stop();
        break;
    }
  });
  beat();
  send({ type: 'ready', pid: process.pid });
}

async function execute(instance: DuckDBInstance, scratchDir: string, task: RunningTask, spill: SpillMonitor): Promise<void> {
  const started = Date.now();
  const taskKey = task.assignment.taskKey;
  spill.begin(taskKey);
  try {
    const { output, rows, bytes, malformedRows } = await task.run(instance, scratchDir);
    const spillBytes = spill.end(taskKey);
    const metrics = { ...exchangeInputStats(task.assignment), rowsOut: rows, bytesOut: bytes, spillBytes, durationMs: Date.now() - started, ...(malformedRows.length ? { malformedRows } : {}) };
    send({ type: 'taskSucceeded', taskKey, output, metrics });
  } catch (error) {
    spill.end(taskKey);
    const text = error instanceof Error ? error.message : String(error);
    send({ type: 'taskFailed', taskKey, error: text, cancelled: task.wasCancelled, durationMs: Date.now() - started });
  }
}

/** Sends a heartbeat now and every second; returns the beat, sent again right before `ready` so the first samples carry figures. */
function startHeartbeat(): () => void {
  let lastCpu = process.cpuUsage();
  let lastTime = Date.now();
  const beat = () => {
    const cpu = process.cpuUsage(lastCpu);
    const now = Date.now();
    const cpuPercent = ((cpu.user + cpu.system) / 1000 / Math.max(1, now - lastTime)) * 100;
    lastCpu = process.cpuUsage();
    lastTime = now;
    send({ type: 'heartbeat', rssBytes: process.memoryUsage().rss, cpuPercent: Math.round(cpuPercent) });
  };
  beat();
  setInterval(beat, HEARTBEAT_MS).unref();
  return beat;
}


main().catch((error: unknown) => {
  console.error('quire worker failed to start:', error);
  process.exit(1);
});
