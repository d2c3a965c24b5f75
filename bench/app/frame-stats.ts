import type { FrameRecord } from './page-probes.js';

/** A frame record reduced to the numbers the report compares. */
export interface FrameStats {
  frames: number;
  durationMs: number;
  longestFrameMs: number;
  /** 95th percentile of the frame deltas. */
  p95FrameMs: number;
  framesOver100Ms: number;
  longTasks: number;
  longestTaskMs: number;
  /** Trusted keydowns the page answered with a frame, and the slowest of those answers. */
  inputsAnswered: number;
  worstInputLatencyMs: number;
}

export function frameStats(record: FrameRecord): FrameStats {
  if (record.frameDeltas.length === 0) throw new Error('the frame recorder saw no animation frame: the page never painted while it ran');
  const sorted = [...record.frameDeltas].sort((a, b) => a - b);
  return {
    frames: sorted.length,
    durationMs: record.durationMs,
    longestFrameMs: sorted[sorted.length - 1]!,
    p95FrameMs: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))]!,
    framesOver100Ms: sorted.filter((delta) => delta > 100).length,
    longTasks: record.longTasks.length,
    longestTaskMs: Math.max(0, ...record.longTasks),
    inputsAnswered: record.inputLatencies.length,
    worstInputLatencyMs: Math.max(0, ...record.inputLatencies),
  };
}

export function median(values: number[]): number {
  if (values.length === 0) throw new Error('the median of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
