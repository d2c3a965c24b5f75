/**
 * UI bench in headless Chromium against a real `quire serve`:
 *  1. open:   time from navigation to an interactive 200-cell notebook whose cells all have outputs
 *             (every cell in the DOM with its outputs, the kernel idle, and a frame painted after that);
 *  2. stream: the longest frame while a cell prints 100,000 lines.
 * Prints a table against the targets (open < 1.5 s, no frame > 100 ms) and exits 1 when one is missed.
 *
 *   npm run build -w app && node --import tsx bench/app/bench.ts
 */
/// <reference lib="dom" />
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBackend } from '../../app/test/support/backend.js';
import { launchBrowser } from '../../app/test/support/browser.js';
import { benchNotebook } from './bench-notebook.js';

const CELLS = 200;
const STREAM_LINES = Number(process.env.QUIRE_BENCH_LINES ?? 100_000);
const OPEN_TARGET_MS = 1_500;
const FRAME_TARGET_MS = 100;

interface Row {
  measure: string;
  value: string;
  target: string;
  ok: boolean;
}

const backend = await startBackend();
const browser = await launchBrowser();
const rows: Row[] = [];
try {
  await writeFile(join(backend.root, 'bench.ipynb'), JSON.stringify(benchNotebook(CELLS)));
  const page = browser.page;
  // Warm the HTTP cache and the kernel's first start, as a user reopening the app would have them.
  await page.goto(`${backend.uiUrl}&open=bench.ipynb`);
  await page.waitForSelector('.kernel-status[data-status="idle"]', { timeout: 120_000 });

  const started = Date.now();
  await page.goto(`${backend.uiUrl}&open=bench.ipynb`);
  await page.waitForFunction(
    (cells) => {
      const rendered = document.querySelectorAll('.notebook-panel .cell');
      return rendered.length === cells && rendered[cells - 1]!.querySelector('.output') !== null
        && document.querySelector('.kernel-status[data-status="idle"]') !== null;
    },
    CELLS,
    { timeout: 60_000, polling: 'raf' },
  );
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
  const openMs = Date.now() - started;
  rows.push({ measure: `open ${CELLS}-cell notebook with outputs`, value: `${openMs} ms`, target: `< ${OPEN_TARGET_MS} ms`, ok: openMs < OPEN_TARGET_MS });

  // A new cell at the end that streams; frames are timed in the page by requestAnimationFrame.
  await page.locator('.notebook-panel .cell').last().click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await page.keyboard.press('Enter');
  await page.keyboard.insertText(`for (let i = 0; i < ${STREAM_LINES}; i++) console.log(\`line \${i} of the stream\`)`);
  // A string, not a function: tsx compiles this file with esbuild's keepNames, whose `__name` helper
  // does not exist in the page.
  await page.evaluate(`(() => {
    const state = { last: performance.now(), max: 0, frames: 0, running: true };
    window.__frames = state;
    const tick = (now) => {
      state.max = Math.max(state.max, now - state.last);
      state.last = now;
      state.frames += 1;
      if (state.running) requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  })()`);
  const streamStarted = Date.now();
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(
    (cells) => {
      const cell = document.querySelectorAll('.notebook-panel .cell')[cells] as HTMLElement | undefined;
      return cell?.dataset.state === 'idle' && /\[\d+\]/.test(cell.querySelector('.cell-prompt')?.textContent ?? '');
    },
    CELLS,
    { timeout: 300_000 },
  );
  const streamMs = Date.now() - streamStarted;
  const frames = await page.evaluate(() => {
    const state = (window as unknown as { __frames: { max: number; frames: number; running: boolean } }).__frames;
    state.running = false;
    return { max: state.max, frames: state.frames };
  });
  // The page shows a prefix of a long stream and counts the rest on its "Show more" button.
  const output = page.locator('.notebook-panel .cell').nth(CELLS).locator('.truncated').last();
  const shownLines = ((await output.locator('pre').textContent()) ?? '').split('\n').length - 1;
  const hiddenLines = Number((/Show more \(([\d,]+) more lines/.exec((await output.locator('.show-more').textContent()) ?? '')?.[1] ?? '0').replace(/,/g, ''));
  if (shownLines + hiddenLines !== STREAM_LINES) throw new Error(`the streamed cell accounts for ${shownLines} shown + ${hiddenLines} hidden lines, not ${STREAM_LINES}`);
  rows.push({
    measure: `longest frame while streaming ${STREAM_LINES.toLocaleString('en')} lines (${(streamMs / 1000).toFixed(1)} s, ${frames.frames} frames)`,
    value: `${Math.round(frames.max)} ms`,
    target: `<= ${FRAME_TARGET_MS} ms`,
    ok: frames.max <= FRAME_TARGET_MS,
  });
  await browser.screenshot('bench-stream');
} catch (error) {
  console.error(`bench failed; the page is in ${await browser.screenshot('bench-failure')}`);
  throw error;
} finally {
  await browser.close();
  await backend.stop();
}

console.table(rows.map(({ measure, value, target, ok }) => ({ measure, value, target, met: ok ? 'yes' : 'NO' })));
process.exitCode = rows.every((row) => row.ok) ? 0 : 1;
