/** The driver-facing cluster API: what a Session holds and calls. */
import type { Table } from 'apache-arrow';
import type { PhysicalPlan } from '../physical/types.js';

export interface StartClusterOptions {
  /** Worker processes to start; 2 when absent. */
  workers?: number;
  /** Directory the master and workers keep exchange data, results and DuckDB spill files in. */
  scratchDir: string;
  /** DuckDB memory_limit per worker, e.g. '2GB'. */
  memoryPerWorker?: string;
  /** DuckDB threads per worker. */
  threadsPerWorker?: number;
  /** Tasks one worker runs at the same time; 2 when absent. */
  tasksPerWorker?: number;
}

export interface RunJobOptions {
  signal?: AbortSignal;
  onProgress?(progress: JobProgress): void;
  description?: string;
  owner?: string;
}

export interface StageProgress {
  id: number;
  description: string;
  tasks: { total: number; running: number; done: number; failed: number };
}

export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobProgress {
  jobId: string;
  state: JobState;
  stages: StageProgress[];
  tasks: { total: number; running: number; done: number; failed: number };
}

export interface WrittenOutput {
  path: string;
  format: string;
  files: string[];
  rows: number;
  bytes: number;
}

export type JobResult =
  | { jobId: string; table: Table; rowCount: number }
  | { jobId: string; written: WrittenOutput };

export type WorkerRole = 'core';
export type WorkerState = 'starting' | 'idle' | 'busy' | 'dead';

export interface WorkerStatus {
  id: string;
  role: WorkerRole;
  pid: number | undefined;
  state: WorkerState;
  /** CPU use since the previous heartbeat, in percent of one core. */
  cpu: number;
  rssBytes: number;
  runningTasks: number;
}

export interface JobSummary {
  jobId: string;
  description: string;
  owner: string;
  state: JobState;
  submittedAt: string;
  finishedAt?: string;
  error?: string;
  progress: JobProgress;
}

export interface ClusterStatus {
  url: string;
  masterPid: number;
  workers: WorkerStatus[];
  jobs: JobSummary[];
}

export interface Cluster {
  url: string;
  runJob(plan: PhysicalPlan, opts?: RunJobOptions): Promise<JobResult>;
  status(): Promise<ClusterStatus>;
  /** Stops a cluster this process started; for an attached cluster, only detaches. */
  stop(): Promise<void>;
}
