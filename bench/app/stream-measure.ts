/// <reference lib="dom" />
/**
 * Frames while a TypeScript cell prints `lines` lines: a new cell is added after the last one, the frame
 * recorder starts, the cell runs (Ctrl+Enter), and every `probeEveryMs` an arrow key moves the selection
 * (a real input the page must answer) until the cell is idle again with its execution count.
 */
import type { Page } from 'playwright-core';
import { appendCodeCell, waitForCellRun } from './notebook-actions.js';
import { type FrameRecord, pressArrowsUntil, startFrameRecorder, stopFrameRecorder } from './page-probes.js';

export interface StreamRun {
  record: FrameRecord;
  /** Ctrl+Enter to the cell idle again (Node clock). */
  runMs: number;
  /** Trusted keydowns sent while the frame recorder ran (Ctrl+Enter's two and the probes). */
  keydownsSent: number;
  /** Newlines the cell's stream outputs account for: shown in the page plus counted on "Show more". */
  shownLines: number;
  hiddenLines: number;
}

export async function measureStream(page: Page, lines: number, timeoutMs: number, probeEveryMs = 250): Promise<StreamRun> {
  const index = await appendCodeCell(page, `for (let i = 0; i < ${lines}; i++) console.log(\`line \${i} of the stream\`)`);

  await startFrameRecorder(page);
  const started = performance.now();
  await page.keyboard.press('Control+Enter');
  const finished = waitForCellRun(page, index, timeoutMs);
  let done = false;
  void finished.then(() => (done = true), () => (done = true));
  const keydownsSent = 2 + (await pressArrowsUntil(page, () => done, probeEveryMs));
  await finished;
  const runMs = performance.now() - started;
  const record = await stopFrameRecorder(page);
  const { shownLines, hiddenLines } = await countStreamLines(page, index);
  return { record, runMs, keydownsSent, shownLines, hiddenLines };
}

/** Lines of the cell's stream outputs: newlines in the shown text, plus those its "Show more" button counts. */
async function countStreamLines(page: Page, cellIndex: number): Promise<{ shownLines: number; hiddenLines: number }> {
  return (await page.evaluate(`(() => {
    const cell = document.querySelectorAll('.notebook-panel .cell')[${cellIndex}];
    let shownLines = 0;
    let hiddenLines = 0;
    for (const output of cell.querySelectorAll('.output[data-output-type="stream"] .truncated')) {
      shownLines += (output.querySelector('pre')?.textContent ?? '').split('\\n').length - 1;
      const more = output.querySelector('.show-more');
      const counted = more && !more.hidden ? /\\(([\\d,.\\s]+) more lines/.exec(more.textContent ?? '') : null;
      if (more && !more.hidden && !counted) throw new Error('cannot read the hidden line count from: ' + more.textContent);
      if (counted) hiddenLines += Number(counted[1].replace(/\\D/g, ''));
    }
    return { shownLines, hiddenLines };
  })()`)) as { shownLines: number; hiddenLines: number };
}
