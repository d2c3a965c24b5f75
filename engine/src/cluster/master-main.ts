/**
 * The master process: starts the workers, serves the HTTP API on 127.0.0.1, and runs the
 * scheduler, the sizer and managed scaling. It stops its workers and exits when the driver says so
 * or when the driver dies.
 */
import type { AddressInfo } from 'node:net';
import { Scheduler } from '../scheduler/scheduler.js';
import { ClusterEvents } from './cluster-events.js';
import { ClusterSizer } from './cluster-sizer.js';
import { startManagedScaling } from './managed-scaling.js';
import { createMasterServer } from './master-http.js';
import { watchParent } from './parent-watch.js';
import { readProcessConfig, type MasterProcessConfig } from './process-config.js';
import type { DriverToMaster, MasterToDriver } from './protocol.js';
import { CONFIG_VARIABLES } from './spawn-process.js';
import { WorkerPool } from './worker-pool.js';

function tell(message: MasterToDriver): void {
  process.send?.(message);
}

async function main(): Promise<void> {
  const config = readProcessConfig<MasterProcessConfig>(CONFIG_VARIABLES.master);
  const events = new ClusterEvents();
  let scheduler: Scheduler | undefined;
  const pool = new WorkerPool({
    scratchDir: config.scratchDir,
    memoryPerWorker: config.memoryPerWorker,
    threadsPerWorker: config.threadsPerWorker,
    tasksPerWorker: config.tasksPerWorker,
    heartbeatTimeoutMs: config.heartbeatTimeoutMs,
    bootstrap: config.bootstrap,
    onMessage(_workerId, message) {
      if (!scheduler) return;
      if (message.type === 'taskSucceeded') scheduler.taskSucceeded(message.taskKey, message.output, message.metrics);
      else if (message.type === 'taskFailed') scheduler.taskFailed(message.taskKey, message.error, message.durationMs);
      else if (message.type === 'ready') scheduler.schedule();
    },
    onWorkerLost(workerId) {
      scheduler?.workerLost(workerId);
    },
    onWorkerState(worker) {
      events.publish({ type: 'worker', at: new Date().toISOString(), workerId: worker.id, role: worker.role, state: worker.state, ...(worker.error ? { error: worker.error } : {}) });
    },
    filesInUse(workerId) {
      return scheduler?.filesInUse(workerId) ?? false;
    },
    onSample(at, workers) {
      const live = workers.filter((w) => w.state !== 'dead' && w.state !== 'failed');
      events.publish({ type: 'sample', at: new Date(at).toISOString(), workers: live.map((w) => ({ id: w.id, cpu: w.cpu, rssBytes: w.rssBytes, runningTasks: w.runningTasks })) });
    },
  });
  scheduler = new Scheduler(pool, config.scratchDir, {
    maxResultBytes: config.maxResultBytes,
    maxFinishedJobs: config.maxFinishedJobs,
    adaptivePartitionBytes: config.adaptivePartitionBytes,
    onJobEvent(job, entry) {
      events.publish({ type: 'job', jobId: job.id, owner: job.owner, entry, progress: job.progress() });
    },
  });
  const sizer = new ClusterSizer(pool, scheduler, events);
  const server = createMasterServer({
    token: config.token,
    scheduler,
    sizer,
    events,
    status: () => ({
      url,
      masterPid: process.pid,
      workers: pool.status(),
      jobs: [...scheduler!.jobs.values()].map((j) => j.summary()),
      size: sizer.size(),
      ...(config.scaling ? { scaling: config.scaling } : {}),
    }),
  });
  let url = '';
  let stopping = false;
  let stopScaling = () => {};
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    stopScaling();
    server.closeAllConnections();
    server.close();
    await pool.stop();
    process.exit(0);
  };
  watchParent(() => void stop());
  process.on('message', (message: DriverToMaster) => {
    if (message.type === 'shutdown') void stop();
  });
  await pool.start(config.core, config.task);
  if (config.scaling) stopScaling = startManagedScaling(config.scaling, pool, scheduler, sizer, events);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}/?token=${config.token}`;
  tell({ type: 'ready', url });
}

main().catch((error: unknown) => {
  tell({ type: 'startFailed', error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
