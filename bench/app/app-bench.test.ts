import { describe, expect, it } from 'vitest';
import { runAppBench } from './app-bench.js';
import { markdownTable, reportRows } from './report.js';

// The whole bench, small: a real quire serve, headless Chromium, 20 saved cells and a 5,000-line stream.
// Timings vary with the machine's load, so only that the run completed and counted right is asserted.
describe('app bench, small mode', () => {
  it('opens a 20-cell notebook, records frames while 5,000 lines stream, and reports every metric', async () => {
    const result = await runAppBench({ cells: 20, streamLines: 5_000, openRuns: 1, idleMs: 500 });

    expect(result.cellsRendered).toBe(20);
    expect(result.streamedLines.shown).toBeGreaterThan(0);
    expect(result.streamedLines.shown + result.streamedLines.hidden).toBe(5_000);
    expect(result.opens).toHaveLength(1);
    expect(result.opens[0]!.interactiveMs).toBeGreaterThanOrEqual(result.opens[0]!.renderedMs);
    expect(result.referenceOpens).toHaveLength(1);
    expect(result.settledMs).toBeGreaterThan(0);
    expect(result.stream.frames).toBeGreaterThan(1);
    expect(result.idle.frames).toBeGreaterThan(1);
    expect(result.typing.inputsAnswered).toBeGreaterThan(0);
    expect(result.keydownsSent).toBeGreaterThanOrEqual(2);
    expect(result.pageErrors).toEqual([]);

    const table = markdownTable(reportRows(result)).split('\n');
    expect(table).toHaveLength(2 + reportRows(result).length);
    expect(table[2]).toMatch(/^\| navigation → interactive, 20-cell notebook .*\| (pass|FAIL) \|$/);
  }, 300_000);
});
