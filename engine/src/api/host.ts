/** What a DataFrame needs from the Session that made it (kept narrow so the two do not import each other). */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import type { WrittenOutput } from '../cluster/types.js';
import type { LogicalPlan } from '../plan/types.js';

export interface ActionOptions {
  /** Cancels the job (in addition to `spark.cancelAll()`). */
  signal?: AbortSignal;
  /** Progress of this action's job (in addition to the session's `onProgress` listeners). */
  onProgress?(progress: import('../cluster/types.js').JobProgress): void;
  /** What the succeeded action must tell the user (in addition to the session's `onWarning` listeners). */
  onWarning?(warning: import('./warnings.js').SessionWarning): void;
}

export interface WriteRequest {
  format: 'parquet' | 'csv' | 'json';
  path: string;
  mode: 'error' | 'overwrite' | 'append';
  partitionBy: string[];
  csv?: { header: boolean; delimiter: string };
}

export interface DataFrameHost {
  /** The driver's DuckDB, used to parse and type SQL text; it never runs a query over data. */
  readonly connection: DuckDBConnection;
  /** Optimizes, plans and runs the plan; resolves with the result rows. */
  execute(plan: LogicalPlan, options?: ActionOptions): Promise<Table>;
  write(plan: LogicalPlan, request: WriteRequest, options?: ActionOptions): Promise<WrittenOutput>;
  explain(plan: LogicalPlan): Promise<string>;
  registerView(name: string, plan: LogicalPlan): void;
}
