import type { ManagedScalingOptions } from './types.js';

/** Configuration handed to master and worker processes through an environment variable (never argv: it holds the token). */
export interface MasterProcessConfig {
  token: string;
  scratchDir: string;
  core: number;
  task: number;
  heartbeatTimeoutMs: number;
  maxResultBytes: number;
  maxFinishedJobs: number;
  adaptivePartitionBytes: number;
  bootstrap: string[];
  scaling?: ManagedScalingOptions;
  memoryPerWorker?: string;
  threadsPerWorker?: number;
  tasksPerWorker: number;
}

export interface WorkerProcessConfig {
  workerId: string;
  scratchDir: string;
  memoryLimit?: string;
  threads?: number;
  bootstrap: string[];
}

export function readProcessConfig<T>(variable: string): T {
  const text = process.env[variable];
  if (!text) throw new Error(`${variable} is not set; this process must be started by Quire`);
  delete process.env[variable];
  return JSON.parse(text) as T;
}
