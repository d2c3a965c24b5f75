/**
 * What the physical planner needs to know about the cluster and the data. The Session fills it from
 * its configuration and the IO module (file splitting with statistics and partition pruning).
 */
import type { Expr, FileSource, LogicalPlan, Schema } from '../plan/types.js';
import type { TaskInput } from './types.js';
import { estimatePlanBytes, type FilterEstimate } from './estimate.js';

export type FileSplit = Extract<TaskInput, { kind: 'files' }>['files'][number];

export interface PlannerContext {
  /** Worker processes in the cluster. */
  workers: number;
  /** Partitions of hash and range exchanges; 2 x workers by default. */
  shufflePartitions: number;
  /** A join side estimated below this many bytes is broadcast instead of shuffled; 64 MiB by default. */
  broadcastThresholdBytes: number;
  /**
   * Whether a broadcast side that only reads Parquet files may be read whole from them by every task of
   * the other side instead of through an exchange stage (join.ts says when it is); true by default.
   */
  readWholeBroadcasts: boolean;
  /** At most about how many bytes of input one scan task reads (smaller splits when a scan is small; see scanSplitBytes). */
  targetSplitBytes: number;
  /** Estimated output size of a plan (see estimate.ts for `filters`); the planner's own file-size estimate when absent. */
  estimateBytes?(plan: LogicalPlan, filters?: FilterEstimate): number;
  /**
   * Cuts a scan into task splits (one inner list per task) of about `splitBytes` each, pruning files
   * and row groups by `filters`.
   */
  splitFiles(source: FileSource & { schema: Schema }, filters: Expr[], splitBytes: number): Promise<FileSplit[][]>;
  /**
   * The columns a scan's splits hold in disjoint value ranges, with each split's range (from file
   * statistics); none are known when absent.
   */
  clusteredColumns?(source: FileSource & { schema: Schema }, splits: FileSplit[][]): Promise<ClusteredColumn[]>;
}

/** Inclusive bounds of a column's values. */
export type ValueRange = [bigint, bigint];

/** A column whose values in task i all lie in the ranges `ranges[i]` (none for a task with no rows); no value is in two tasks. */
export interface ClusteredColumn {
  column: string;
  ranges: ValueRange[][];
}

/**
 * Higher than Spark's 10 MB: workers share one machine, so a broadcast is one local Parquet file
 * every consumer task reads, while a shuffle writes and re-reads the big side. The estimate counts
 * a scan's file bytes before its filters, so it errs high.
 */
export const DEFAULT_BROADCAST_THRESHOLD_BYTES = 64 * 1024 * 1024;
export const DEFAULT_TARGET_SPLIT_BYTES = 64 * 1024 * 1024;
/** Below this, a split costs more in task start-up than it saves by running in parallel. */
export const MIN_SPLIT_BYTES = 4 * 1024 * 1024;

/**
 * The split size for a scan of `totalBytes`: small enough that the scan has a task for every
 * shuffle partition (so every worker slot reads), but not below MIN_SPLIT_BYTES and never above
 * the configured target (as Spark sizes file splits by its default parallelism).
 */
export function scanSplitBytes(ctx: PlannerContext, totalBytes: number): number {
  const floor = Math.min(MIN_SPLIT_BYTES, ctx.targetSplitBytes);
  return Math.min(ctx.targetSplitBytes, Math.max(floor, Math.ceil(totalBytes / ctx.shufflePartitions)));
}

/** One split per file: correct for every format, used until the Session supplies the IO module's splitter. */
export async function oneSplitPerFile(source: FileSource): Promise<FileSplit[][]> {
  return source.files.map((f) => [{ path: f.path, partitionValues: f.partitionValues }]);
}

/** A context with defaults for everything but the worker count, checked for nonsense values. */
export function plannerContext(options: Partial<PlannerContext> & { workers: number }): PlannerContext {
  const ctx: PlannerContext = {
    shufflePartitions: 2 * options.workers,
    broadcastThresholdBytes: DEFAULT_BROADCAST_THRESHOLD_BYTES,
    readWholeBroadcasts: true,
    targetSplitBytes: DEFAULT_TARGET_SPLIT_BYTES,
    splitFiles: oneSplitPerFile,
    ...options,
  };
  validateContext(ctx);
  return ctx;
}

export function validateContext(ctx: PlannerContext): void {
  for (const key of ['workers', 'shufflePartitions'] as const) {
    if (!Number.isInteger(ctx[key]) || ctx[key] < 1) throw new Error(`planner context: ${key} must be a positive integer, got ${ctx[key]}`);
  }
  if (!(ctx.broadcastThresholdBytes >= 0)) {
    throw new Error(`planner context: broadcastThresholdBytes must be >= 0, got ${ctx.broadcastThresholdBytes}`);
  }
  if (!(ctx.targetSplitBytes > 0)) throw new Error(`planner context: targetSplitBytes must be positive, got ${ctx.targetSplitBytes}`);
}

export function estimateBytes(ctx: PlannerContext, plan: LogicalPlan, filters: FilterEstimate = 'guessed'): number {
  return ctx.estimateBytes ? ctx.estimateBytes(plan, filters) : estimatePlanBytes(plan, undefined, filters);
}
