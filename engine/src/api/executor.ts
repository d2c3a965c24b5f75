/** How a Session runs optimized plans: on a cluster, or in the driver's own DuckDB. */
import type { Table } from 'apache-arrow';
import type { JobProgress, WrittenOutput } from '../cluster/types.js';
import type { MalformedRows } from '../io/csvInput.js';
import type { LogicalPlan } from '../plan/types.js';
import type { WriteRequest } from './host.js';

export interface RunOptions {
  signal: AbortSignal;
  onProgress(progress: JobProgress): void;
  /** Shown in the cluster's job list. */
  description: string;
  /** Whose job it is on a shared cluster (SessionOptions.owner). */
  owner?: string;
  /** Told, once the job has succeeded, of rows it dropped from CSV files read in 'permissive' mode. */
  onMalformedRows(rows: MalformedRows[]): void;
}

export interface Executor {
  /** What explain() shows under "Physical Plan". */
  physicalText(plan: LogicalPlan): Promise<string>;
  run(plan: LogicalPlan, options: RunOptions): Promise<Table>;
  write(plan: LogicalPlan, request: WriteRequest, options: RunOptions): Promise<WrittenOutput>;
  stop(): Promise<void>;
}
