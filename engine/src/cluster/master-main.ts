/**
 * The master process: starts the workers, serves the HTTP API on 127.0.0.1, and runs the
 * scheduler. It stops its workers and exits when the driver says so or when the driver dies.
 */
import type { AddressInfo } from 'node:net';
import { Scheduler } from '../scheduler/scheduler.js';
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
  let scheduler: Scheduler | undefined;
  const pool = new WorkerPool({
    scratchDir: config.scratchDir,
    workers: config.workers,
    memoryPerWorker: config.memoryPerWorker,
    threadsPerWorker: config.threadsPerWorker,
    tasksPerWorker: config.tasksPerWorker,
    onMessage(_workerId, message) {
      if (!scheduler) return;
      if (message.type === 'taskSucceeded') scheduler.taskSucceeded(message.taskKey, message.output, message.metrics);
      else if (message.type === 'taskFailed') scheduler.taskFailed(message.taskKey, message.error, message.durationMs);
      else if (message.type === 'ready') scheduler.schedule();
    },
    onWorkerLost(workerId) {
      scheduler?.workerLost(workerId);
    },
  });
  scheduler = new Scheduler(pool, config.scratchDir);
  const server = createMasterServer({
    token: config.token,
    scheduler,
    status: () => ({
      url,
      masterPid: process.pid,
      workers: pool.status(),
      jobs: [...scheduler!.jobs.values()].map((j) => j.summary()),
      size: { core: config.workers, task: 0 },
    }),
  });
  let url = '';
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    server.closeAllConnections();
    server.close();
    await pool.stop();
    process.exit(0);
  };
  watchParent(() => void stop());
  process.on('message', (message: DriverToMaster) => {
    if (message.type === 'shutdown') void stop();
  });
  await pool.start();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  url = `http://127.0.0.1:${port}/?token=${config.token}`;
  tell({ type: 'ready', url });
}

main().catch((error: unknown) => {
  tell({ type: 'startFailed', error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
