/**
 * The physical plan: stages split at exchanges, one task per partition. This is what the driver
 * sends to the cluster; everything here is JSON so the master and workers can carry it.
 */
import type { S3Config } from '../io/s3Config.js';
import type { FileFormat, CsvOptions, Schema } from '../plan/types.js';

/** How a stage's output is laid out for its consumers. */
export type Exchange =
  /** Rows go to partition `hash(keys) % partitions`. */
  | { kind: 'hash'; keys: string[]; partitions: number }
  /**
   * Rows go to contiguous key ranges, so partition i holds keys before partition i+1's. The runtime
   * samples the stage's output to choose the bounds before any consumer starts.
   */
  | { kind: 'range'; keys: { sql: string; ascending: boolean; nullsFirst: boolean }[]; partitions: number }
  /** The whole output is read by every consumer task. */
  | { kind: 'broadcast' }
  /** The whole output is read by a single consumer task. */
  | { kind: 'gather' }
  /** The stage is the job's last: its partitions are the result, read by the driver in order as Arrow IPC. */
  | { kind: 'result' }
  /** The stage writes files; the runtime commits them atomically (temporary location, then `_SUCCESS`). */
  | {
      kind: 'write';
      format: FileFormat;
      path: string;
      mode: 'error' | 'overwrite' | 'append';
      partitionBy: string[];
      csv?: { header: boolean; delimiter: string };
    };

/** One relation a task reads, registered in the task's DuckDB under `name` before `sql` runs. */
export type TaskInput =
  | {
      kind: 'files';
      name: string;
      format: FileFormat;
      /**
       * Local paths or s3:// URLs; for Parquet, optionally only some row groups of each file. Empty
       * means an empty relation with `schema` (every file pruned, or a union task reading another input).
       * `partitionValues` become columns typed as in `schema`.
       */
      files: { path: string; rowGroups?: number[]; byteRange?: [number, number]; partitionValues?: Record<string, string> }[];
      schema: Schema;
      csv?: CsvOptions;
      /** Columns to read (projection pushed into the scan); all when absent. */
      columns?: string[];
      /** A DuckDB predicate pushed into the scan. */
      filterSql?: string;
    }
  /**
   * Partition(s) of an upstream stage's exchange output: for hash/range exchanges task i
   * of the consumer reads `[i]`; for broadcast/gather it reads 'all' (partitions in order). An empty
   * list is an empty relation with `schema` (a union task that reads another input).
   */
  | { kind: 'exchange'; name: string; stageId: number; partitions: number[] | 'all'; schema: Schema }
  | { kind: 'values'; name: string; arrowIpcBase64: string; schema: Schema };

export interface StagePlan {
  id: number;
  /** Stages whose output this stage reads. */
  dependsOn: number[];
  /** One task per partition; inputs may differ per task (file splits, exchange partitions). */
  tasks: { partition: number; inputs: TaskInput[] }[];
  /** The DuckDB query each task runs over its inputs; the same text for every task of the stage. */
  sql: string;
  /**
   * Relations each task defines before `sql` runs, in order, each over the inputs and the views
   * before it. The planner sets none; the scheduler adds one when it runs a small upstream stage
   * inside this stage's task (scheduler/stage-fusion.ts).
   */
  views?: StageView[];
  output: Exchange;
  schema: Schema;
  /** Human-readable description for explain() and progress ("HashAggregate(final) <- Exchange hash(l_orderkey)"). */
  description: string;
  /** Set when this stage runs a construct the planner does not distribute. */
  singleWorkerReason?: string;
}

export interface StageView {
  name: string;
  sql: string;
}

export interface PhysicalPlan {
  stages: StagePlan[];
  /** The stage whose output is the result. */
  resultStageId: number;
  schema: Schema;
  /** How workers and the master reach S3 for this job; their own AWS environment when absent. */
  s3?: S3Config;
}
