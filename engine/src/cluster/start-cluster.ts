/**
 * Starts a transient cluster: a master process, which starts the workers. The cluster ends with
 * stop(), with the driver process (the master watches its parent), or on driver exit.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { ClusterClient } from './client.js';
import type { MasterProcessConfig } from './process-config.js';
import type { DriverToMaster, MasterToDriver } from './protocol.js';
import { spawnClusterProcess } from './spawn-process.js';
import type { Cluster, StartClusterOptions } from './types.js';
import { stopProcess } from './worker-pool.js';

const DEFAULT_WORKERS = 2;
const DEFAULT_TASKS_PER_WORKER = 2;
const MASTER_STOP_GRACE_MS = 5000;

export async function startCluster(options: StartClusterOptions): Promise<Cluster> {
  const workers = options.workers ?? DEFAULT_WORKERS;
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`workers must be a positive integer, got ${workers}`);
  const tasksPerWorker = options.tasksPerWorker ?? DEFAULT_TASKS_PER_WORKER;
  if (!Number.isInteger(tasksPerWorker) || tasksPerWorker < 1) throw new Error(`tasksPerWorker must be a positive integer, got ${tasksPerWorker}`);
  if (!options.scratchDir) throw new Error('startCluster needs a scratchDir');
  mkdirSync(options.scratchDir, { recursive: true });
  const config: MasterProcessConfig = {
    token: randomBytes(24).toString('hex'),
    scratchDir: options.scratchDir,
    workers,
    memoryPerWorker: options.memoryPerWorker,
    threadsPerWorker: options.threadsPerWorker,
    tasksPerWorker,
  };
  const master = spawnClusterProcess('master', config);
  const url = await new Promise<string>((resolve, reject) => {
    master.on('message', (message: MasterToDriver) => {
      if (message.type === 'ready') resolve(message.url);
      else reject(new Error(`the cluster master failed to start: ${message.error}`));
    });
    master.once('exit', (code, signal) => reject(new Error(`the cluster master exited while starting (code ${code}, signal ${signal})`)));
    master.once('error', reject);
  });
  // The driver should not stay alive just because a cluster is running.
  master.unref();
  master.channel?.unref();
  const onExit = () => master.kill('SIGTERM');
  process.once('exit', onExit);
  return new ClusterClient(url, async () => {
    process.off('exit', onExit);
    await stopProcess(master, () => master.connected && master.send({ type: 'shutdown' } satisfies DriverToMaster), MASTER_STOP_GRACE_MS);
  });
}
