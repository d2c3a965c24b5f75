/**
 * The UI bench, as a function the CLI (bench.ts) and its test call: a real `quire serve`, Debian's headless
 * Chromium, a saved notebook of `cells` cells with outputs and a one-cell reference notebook.
 *  1. Both notebooks are opened once first and run a scratch cell (kernels started and warmed up, HTTP cache
 *     warm, as when a user reopens a notebook).
 *  2. `openRuns` times each: the reference, then the bench notebook, interleaved so machine load hits both.
 *  3. Frames are recorded on the idle bench notebook for `idleMs` (the reference for frame times), after its
 *     tables are loaded into duckdb-wasm and its chart drawn, then for `idleMs` while the user types into
 *     its last cell (the reference for input latency).
 *  4. A new last cell prints `streamLines` lines with its output in view while the user types into the cell
 *     above; frames, long tasks and input answers are recorded.
 */
import { loadavg } from 'node:os';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startBackend } from '../../app/test/support/backend.js';
import { launchBrowser } from '../../app/test/support/browser.js';
import { type BenchNotebook, benchNotebook } from './bench-notebook.js';
import { type FrameStats, frameStats } from './frame-stats.js';
import { appendCodeCell, waitForCellRun } from './notebook-actions.js';
import { measureOpen, type OpenTiming } from './open-measure.js';
import { typeUntil, startFrameRecorder, stopFrameRecorder, waitForRenderedNotebook, waitForSettledOutputs } from './page-probes.js';
import { measureStream } from './stream-measure.js';

export interface AppBenchOptions {
  cells: number;
  streamLines: number;
  openRuns: number;
  idleMs: number;
  /** Progress lines (the CLI prints them to stderr). */
  log?: (line: string) => void;
}

export interface AppBenchResult {
  options: Omit<AppBenchOptions, 'log'>;
  opens: OpenTiming[];
  referenceOpens: OpenTiming[];
  /** Navigation to every table loaded into duckdb-wasm and the chart drawn (last open of the bench notebook). */
  settledMs: number;
  cellsRendered: number;
  /** Frames on the idle bench notebook, nothing happening. */
  idle: FrameStats;
  /** Frames on the same page while the user types into its last cell, a key every 100 ms. */
  typing: FrameStats;
  stream: FrameStats;
  streamRunMs: number;
  keydownsSent: number;
  streamedLines: { shown: number; hidden: number };
  pageErrors: string[];
  /** 1-minute load average of the machine before and after the run (2 cores shared with other work). */
  load: { before: number; after: number };
  screenshot: string;
}

const OPEN_TIMEOUT_MS = 120_000;

export async function runAppBench(options: AppBenchOptions): Promise<AppBenchResult> {
  const { log = () => {}, ...settings } = options;
  for (const [name, value] of Object.entries(settings)) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`app bench: ${name} must be a positive whole number, not ${value}`);
  }
  const loadBefore = loadavg()[0]!;
  const bench = await benchNotebook(settings.cells);
  const reference = await benchNotebook(1);
  const backend = await startBackend();
  try {
    const browser = await launchBrowser();
    try {
      const page = browser.page;
      // Typing into the last cell leaves the notebook unsaved: let the next navigation leave it.
      page.on('dialog', (dialog) => void dialog.accept());
      await writeFile(join(backend.root, 'bench.ipynb'), JSON.stringify(bench.json));
      await writeFile(join(backend.root, 'reference.ipynb'), JSON.stringify(reference.json));
      const urlOf = (path: string) => `${backend.uiUrl}&open=${encodeURIComponent(path)}`;
      // A kernel loads the engine and the type checker after its first kernel_info, blocking its event loop for
      // seconds; a page opened meanwhile waits for that. Running a scratch cell (never saved) waits it out.
      const warm = async (path: string, notebook: BenchNotebook) => {
        await page.goto(urlOf(path));
        await waitForRenderedNotebook(page, notebook.outputsPerCell, OPEN_TIMEOUT_MS);
        const scratch = await appendCodeCell(page, '1 + 1');
        await page.keyboard.press('Control+Enter');
        await waitForCellRun(page, scratch, OPEN_TIMEOUT_MS);
      };
      log('warming up: both kernels started and warmed up by a first cell');
      await warm('reference.ipynb', reference);
      await warm('bench.ipynb', bench);

      const opens: OpenTiming[] = [];
      const referenceOpens: OpenTiming[] = [];
      let settledMs = 0;
      for (let run = 1; run <= settings.openRuns; run++) {
        referenceOpens.push(await measureOpen(page, urlOf('reference.ipynb'), reference, OPEN_TIMEOUT_MS));
        const open = await measureOpen(page, urlOf('bench.ipynb'), bench, OPEN_TIMEOUT_MS);
        opens.push(open);
        log(`open run ${run}: ${settings.cells} cells interactive in ${Math.round(open.interactiveMs)} ms, 1 cell in ${Math.round(referenceOpens.at(-1)!.interactiveMs)} ms`);
        if (run === settings.openRuns) {
          await waitForSettledOutputs(page, OPEN_TIMEOUT_MS);
          settledMs = performance.now() - open.startedAt;
        }
      }
      const cellsRendered = await page.locator('.notebook-panel .cell').count();

      log(`recording frames on the idle page for ${settings.idleMs} ms, then while typing into it`);
      await startFrameRecorder(page);
      await new Promise((resolve) => setTimeout(resolve, settings.idleMs));
      const idle = frameStats(await stopFrameRecorder(page));
      // Typing into the last cell's editor (focused by the open measurement), as during the stream: the
      // reference for input latency.
      await startFrameRecorder(page);
      const typingUntil = performance.now() + settings.idleMs;
      const typed = await typeUntil(page, () => performance.now() >= typingUntil);
      const typing = frameStats(await stopFrameRecorder(page));
      if (typing.inputsAnswered !== typed) log(`the idle page answered ${typing.inputsAnswered} of ${typed} keys`);

      log(`streaming ${settings.streamLines} lines`);
      const stream = await measureStream(page, settings.streamLines, Math.max(60_000, settings.streamLines * 3));
      const screenshot = await browser.screenshot('app-bench-stream');
      return {
        options: settings,
        opens,
        referenceOpens,
        settledMs,
        cellsRendered,
        idle,
        typing,
        stream: frameStats(stream.record),
        streamRunMs: stream.runMs,
        keydownsSent: stream.keydownsSent,
        streamedLines: { shown: stream.shownLines, hidden: stream.hiddenLines },
        pageErrors: [...browser.pageErrors],
        load: { before: loadBefore, after: loadavg()[0]! },
        screenshot,
      };
    } catch (error) {
      log(`app bench failed; the page is in ${await browser.screenshot('app-bench-failure')}`);
      throw error;
    } finally {
      await browser.close();
    }
  } finally {
    await backend.stop();
  }
}
