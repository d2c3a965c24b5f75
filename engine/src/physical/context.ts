/**
 * What the physical planner needs to know about the cluster and the data. The Session fills it from
 * its configuration and the IO module (file splitting with statistics and partition pruning).
 */
import type { Expr, FileSource, LogicalPlan, Schema } from '../plan/types.js';
import type { TaskInput } from './types.js';
import { estimatePlanBytes } from './estimate.js';

export type FileSplit = Extract<TaskInput, { kind: 'files' }>['files'][number];

export interface PlannerContext {
  /** Worker processes in the cluster. */
  workers: number;
  /** Partitions of hash and range exchanges; 2 x workers by default. */
  shufflePartitions: number;
  /** A join side estimated below this many bytes is broadcast instead of shuffled; 10 MiB by default. */
  broadcastThresholdBytes: number;
  /** About how many bytes of input one scan task reads. */
  targetSplitBytes: number;
  /** Estimated output size of a plan; the planner's own file-size estimate when absent. */
  estimateBytes?(plan: LogicalPlan): number;
  /** Cuts a scan into task splits (one inner list per task), pruning files and row groups by `filters`. */
  splitFiles(source: FileSource & { schema: Schema }, filters: Expr[]): Promise<FileSplit[][]>;
}

export const DEFAULT_BROADCAST_THRESHOLD_BYTES = 10 * 1024 * 1024;
export const DEFAULT_TARGET_SPLIT_BYTES = 64 * 1024 * 1024;

/** One split per file: correct for every format, used until the Session supplies the IO module's splitter. */
export async function oneSplitPerFile(source: FileSource): Promise<FileSplit[][]> {
  return source.files.map((f) => [{ path: f.path, partitionValues: f.partitionValues }]);
}

/** A context with defaults for everything but the worker count, checked for nonsense values. */
export function plannerContext(options: Partial<PlannerContext> & { workers: number }): PlannerContext {
  const ctx: PlannerContext = {
    shufflePartitions: 2 * options.workers,
    broadcastThresholdBytes: DEFAULT_BROADCAST_THRESHOLD_BYTES,
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

export function estimateBytes(ctx: PlannerContext, plan: LogicalPlan): number {
  return ctx.estimateBytes ? ctx.estimateBytes(plan) : estimatePlanBytes(plan);
}
