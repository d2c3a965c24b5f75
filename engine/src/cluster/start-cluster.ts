/**
 * Starts a transient cluster: a master process, which starts the workers. The cluster ends with
 * stop(), with the driver process (the master watches its parent), or on driver exit.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { ClusterClient } from './client.js';
import { checkScalingOptions } from './managed-scaling.js';
import { COALESCE_TARGET_BYTES } from '../scheduler/adaptive-partitions.js';
import type { MasterProcessConfig } from './process-config.js';
import type { DriverToMaster, MasterToDriver } from './protocol.js';
import { spawnClusterProcess } from './spawn-process.js';
import type { Cluster, StartClusterOptions } from './types.js';
import { stopProcess } from './worker-pool.js';

const DEFAULT_CORE_WORKERS = 2;
const DEFAULT_TASKS_PER_WORKER = 2;
const DEFAULT_HEARTBEAT_TIMEOUT_MS = 3000;
const DEFAULT_MAX_RESULT_BYTES = 1024 ** 3;
const DEFAULT_MAX_FINISHED_JOBS = 50;
const MASTER_STOP_GRACE_MS = 5000;

export async function startCluster(options: StartClusterOptions): Promise<Cluster> {
  const config = masterConfig(options);
  mkdirSync(options.scratchDir, { recursive: true });
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

function masterConfig(options: StartClusterOptions): MasterProcessConfig {
  if (!options.scratchDir) throw new Error('startCluster needs a scratchDir');
  if (options.core !== undefined && options.workers !== undefined && options.core !== options.workers) {
    throw new Error(`workers is a synonym of core; got core ${options.core} and workers ${options.workers}`);
  }
  const core = options.core ?? options.workers ?? DEFAULT_CORE_WORKERS;
  const task = options.task ?? 0;
  const tasksPerWorker = options.tasksPerWorker ?? DEFAULT_TASKS_PER_WORKER;
  const heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? DEFAULT_HEARTBEAT_TIMEOUT_MS;
  const maxResultBytes = options.maxResultBytes ?? DEFAULT_MAX_RESULT_BYTES;
  const maxFinishedJobs = options.maxFinishedJobs ?? DEFAULT_MAX_FINISHED_JOBS;
  positiveInteger('core workers', core);
  if (!Number.isInteger(task) || task < 0) throw new Error(`task workers must be a non-negative integer, got ${task}`);
  positiveInteger('tasksPerWorker', tasksPerWorker);
  positiveInteger('heartbeatTimeoutMs', heartbeatTimeoutMs);
  positiveInteger('maxResultBytes', maxResultBytes);
  positiveInteger('maxFinishedJobs', maxFinishedJobs);
  const adaptivePartitionBytes = options.adaptivePartitionBytes ?? COALESCE_TARGET_BYTES;
  if (!Number.isInteger(adaptivePartitionBytes) || adaptivePartitionBytes < 0) {
    throw new Error(`adaptivePartitionBytes must be a non-negative integer (0 turns adaptive partitioning off), got ${adaptivePartitionBytes}`);
  }
  const bootstrap = options.bootstrap ?? [];
  for (const action of bootstrap) if (typeof action !== 'string' || !isAbsolute(action)) throw new Error(`bootstrap actions must be absolute paths, got ${JSON.stringify(action)}`);
  if (options.scaling) checkScalingOptions(options.scaling);
  return {
    token: randomBytes(24).toString('hex'),
    scratchDir: options.scratchDir,
    core,
    task,
    heartbeatTimeoutMs,
    maxResultBytes,
    maxFinishedJobs,
    adaptivePartitionBytes,
    bootstrap,
    ...(options.scaling ? { scaling: options.scaling } : {}),
    memoryPerWorker: options.memoryPerWorker,
    threadsPerWorker: options.threadsPerWorker,
    tasksPerWorker,
  };
}

function positiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
}
