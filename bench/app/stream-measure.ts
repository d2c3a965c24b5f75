/// <reference lib="dom" />
/**
 * Frames while a TypeScript cell prints `lines` lines, with its output in view: a new cell is added after the
 * last one, the cell before it is scrolled to the top of the viewport (the new cell and its output below it
 * stay on screen), the frame recorder starts and the new cell runs (Ctrl+Enter). Meanwhile the user clicks
 * into the editor of the cell above and types an `x` every `probeEveryMs` until the run ends; the typed
 * text must then be in that editor.
 */
import type { Page } from 'playwright-core';
import { appendCodeCell, waitForCellRun } from './notebook-actions.js';
import { type FrameRecord, startFrameRecorder, stopFrameRecorder, typeUntil } from './page-probes.js';

export interface StreamRun {
  record: FrameRecord;
  /** Ctrl+Enter to the cell idle again (Node clock). */
  runMs: number;
  /** Trusted keydowns sent while the frame recorder ran (Ctrl+Enter's two and the typed keys). */
  keydownsSent: number;
  /** Newlines the cell's stream outputs account for: shown in the page plus counted on "Show more". */
  shownLines: number;
  hiddenLines: number;
}

export async function measureStream(page: Page, lines: number, timeoutMs: number, probeEveryMs = 100): Promise<StreamRun> {
  const index = await appendCodeCell(page, `for (let i = 0; i < ${lines}; i++) console.log(\`line \${i} of the stream\`)`);
  const above = page.locator('.notebook-panel .cell').nth(index - 1);
  await above.evaluate((cell) => cell.scrollIntoView({ block: 'start' }));

  await startFrameRecorder(page);
  const started = performance.now();
  await page.keyboard.press('Control+Enter');
  const finished = waitForCellRun(page, index, timeoutMs);
  let done = false;
  void finished.then(() => (done = true), () => (done = true));
  await above.locator('.view-lines').click();
  await above.locator('.monaco-editor.focused').waitFor();
  const typed = await typeUntil(page, () => done, probeEveryMs);
  await finished;
  const runMs = performance.now() - started;
  const record = await stopFrameRecorder(page);
  if (typed > 0) await above.locator('.view-lines', { hasText: 'x'.repeat(typed) }).waitFor({ timeout: 10_000 });
  const { shownLines, hiddenLines } = await countStreamLines(page, index);
  return { record, runMs, keydownsSent: 2 + typed, shownLines, hiddenLines };
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
