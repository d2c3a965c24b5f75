import { describe, expect, it } from 'vitest';
import { frameStats, median } from './frame-stats.js';

describe('frameStats', () => {
  it('reduces a record to its longest and 95th percentile frame, slow frames, long tasks and inputs', () => {
    const frameDeltas = [...Array.from({ length: 18 }, () => 16), 40, 120];
    const stats = frameStats({ frameDeltas, longTasks: [60, 110], inputLatencies: [12, 30], durationMs: 500 });
    expect(stats).toEqual({
      frames: 20,
      durationMs: 500,
      longestFrameMs: 120,
      p95FrameMs: 120,
      framesOver100Ms: 1,
      longTasks: 2,
      longestTaskMs: 110,
      inputsAnswered: 2,
      worstInputLatencyMs: 30,
    });
  });

  it('refuses a record without frames: the page never painted', () => {
    expect(() => frameStats({ frameDeltas: [], longTasks: [], inputLatencies: [], durationMs: 10 })).toThrow(/no animation frame/);
  });
});

describe('median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow(/no values/);
  });
});
