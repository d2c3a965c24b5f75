/**
 * Every message between the driver, the master and the workers. Master and workers talk over the
 * Node IPC channel of the worker process; the driver talks to the master over HTTP and a
 * Server-Sent Events stream. Everything is JSON.
 */
import type { MalformedRows } from '../io/csvInput.js';
import type { S3Config } from '../io/s3Config.js';
import type { FileFormat } from '../plan/types.js';
import type { PhysicalPlan, StageView, TaskInput } from '../physical/types.js';
import type { JobProgress, WrittenOutput } from './types.js';

// ---- master -> worker ----------------------------------------------------------------------

/** Parquet files produced by an upstream stage, registered under `name`; `filterSql` selects a key range. */
export interface ExchangeFilesInput extends ExchangeRead {
  kind: 'exchangeFiles';
  name: string;
  schema: TaskInput['schema'];
  filterSql?: string;
}

/** Exchange files a task reads, with the rows and bytes their producers wrote into them. */
export interface ExchangeRead {
  files: string[];
  rows: number;
  bytes: number;
}

/** What a task reads, with exchange inputs already resolved to file paths by the master. */
export type ResolvedInput = Exclude<TaskInput, { kind: 'exchange' }> | ExchangeFilesInput;

/** Where and how a task writes what its SQL returns. */
export type TaskOutputSpec =
  | { kind: 'hash'; keys: string[]; partitions: number; dir: string }
  /** One Parquet file: broadcast, gather and range outputs (range consumers filter by key bounds). */
  | { kind: 'single'; file: string }
  | { kind: 'result'; file: string }
  | {
      kind: 'write';
      /** A local directory the task writes its files into. */
      dir: string;
      format: FileFormat;
      partitionBy: string[];
      csv?: { header: boolean; delimiter: string };
      filePrefix: string;
      /** An s3:// staging prefix: the files written into `dir` are uploaded there, keeping their relative paths. */
      uploadTo?: string;
    };

export interface StageTaskWork {
  kind: 'stage';
  sql: string;
  inputs: ResolvedInput[];
  /** Relations over the inputs (a fused upstream stage), read by `sql` by name, each reading those before it. */
  views?: StageView[];
  output: TaskOutputSpec;
}

/** Samples a range-exchange stage's output and returns one SQL filter per consumer partition. */
export interface RangeBoundsWork extends ExchangeRead {
  kind: 'rangeBounds';
  keys: { sql: string; ascending: boolean; nullsFirst: boolean }[];
  partitions: number;
}

export interface TaskAssignment {
  /** Unique per attempt: `${jobId}/${stageId}/${partition}/${attempt}` (partition -1 for bounds). */
  taskKey: string;
  jobId: string;
  stageId: number;
  partition: number;
  attempt: number;
  work: StageTaskWork | RangeBoundsWork;
  /** How the job reaches S3 (from the driver's session); the worker's own AWS environment when absent. */
  s3?: S3Config;
}

export type MasterToWorker =
  | { type: 'runTask'; task: TaskAssignment }
  | { type: 'cancelTask'; taskKey: string }
  | { type: 'shutdown' };

// ---- worker -> master ----------------------------------------------------------------------

/**
 * Files a task produced, by consumer partition where the output is partitioned, with the rows and
 * bytes written for each: consumers report what they read from these, without opening the files.
 */
export type TaskOutput =
  | { kind: 'partitioned'; files: Record<number, string[]>; rows: Record<number, number>; bytes: Record<number, number> }
  | { kind: 'single'; file: string; rows: number; bytes: number }
  | { kind: 'result'; file: string }
  /** `dir` is the local directory or s3:// prefix holding `files` (relative paths). */
  | { kind: 'write'; dir: string; files: string[] }
  | { kind: 'rangeBounds'; filters: string[] };

export interface TaskMetrics {
  /** Bytes of the exchange files the task read. */
  bytesIn: number;
  /** Rows in the exchange files the task read. */
  rowsIn: number;
  rowsOut: number;
  bytesOut: number;
  /** Peak bytes of DuckDB temporary files on the worker while the task ran (0: no spill seen). */
  spillBytes: number;
  durationMs: number;
  /** Rows dropped from CSV files read in 'permissive' mode, per file. */
  malformedRows?: MalformedRows[];
}

export type WorkerToMaster =
  | { type: 'ready'; pid: number }
  /** A bootstrap action failed: the worker exits and stays listed as failed with this error. */
  | { type: 'bootstrapFailed'; error: string }
  | { type: 'heartbeat'; rssBytes: number; cpuPercent: number }
  | { type: 'taskSucceeded'; taskKey: string; output: TaskOutput; metrics: TaskMetrics }
  | { type: 'taskFailed'; taskKey: string; error: string; cancelled: boolean; durationMs: number };

// ---- driver <-> master ---------------------------------------------------------------------

export interface SubmitJobRequest {
  plan: PhysicalPlan;
  description?: string;
  owner?: string;
}

export interface SubmitJobResponse {
  jobId: string;
}

/** Sent when a job ends well: how the driver collects what it produced. */
export type JobOutcome = (
  | {
      kind: 'result';
      partitions: number;
      rowCount: number;
      /**
       * Every partition as base64 Arrow IPC, when the driver submitted with `?follow=1` and the
       * result is small (INLINE_RESULT_BYTES): the job's files are then already released.
       */
      inline?: string[];
    }
  | { kind: 'written'; written: WrittenOutput }
) & {
  /** Rows the job's tasks dropped from CSV files read in 'permissive' mode, per file; absent when none. */
  malformedRows?: MalformedRows[];
};

/** A result up to this size comes inline in the 'succeeded' event of a stream opened at submission. */
export const INLINE_RESULT_BYTES = 1024 * 1024;

/**
 * Server-Sent Events on GET /api/jobs/{id}/events, in `event:` / `data:` form; a stream opened by
 * `POST /api/jobs?follow=1` starts with 'submitted'.
 */
export type JobEvent =
  | { event: 'submitted'; data: SubmitJobResponse }
  | { event: 'progress'; data: JobProgress }
  | { event: 'succeeded'; data: JobOutcome }
  | { event: 'failed'; data: { error: string } }
  | { event: 'cancelled'; data: { reason: string } };

/** The process-level messages between the driver and the master process it spawned. */
export type MasterToDriver = { type: 'ready'; url: string } | { type: 'startFailed'; error: string };
export type DriverToMaster = { type: 'shutdown' };

export function taskKeyOf(jobId: string, stageId: number, partition: number, attempt: number): string {
  return `${jobId}/${stageId}/${partition}/${attempt}`;
}
