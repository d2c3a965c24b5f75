/// <reference lib="dom" />
/**
 * Scripts the bench runs inside the page. Those that declare inner functions are strings, not functions:
 * tsx compiles this repository with esbuild's keepNames, whose `__name` helper wraps named inner functions
 * and does not exist in the page. waitForFunction predicates are functions, since a string predicate needs
 * eval, which the UI's content security policy forbids.
 */
import type { Page } from 'playwright-core';

/** What the frame recorder saw between `startFrameRecorder` and `stopFrameRecorder`. */
export interface FrameRecord {
  /** Time between consecutive requestAnimationFrame callbacks (ms): a frame the page could paint. */
  frameDeltas: number[];
  /** Durations of main-thread tasks over 50 ms (PerformanceObserver 'longtask'). */
  longTasks: number[];
  /** Per trusted keydown: from the event's creation to the next frame after its handlers ran (ms). */
  inputLatencies: number[];
  durationMs: number;
}

export async function startFrameRecorder(page: Page): Promise<void> {
  await page.evaluate(`(() => {
    const state = { frameDeltas: [], longTasks: [], inputLatencies: [], running: true, startedAt: performance.now() };
    let last = performance.now();
    const tick = (now) => {
      state.frameDeltas.push(now - last);
      last = now;
      if (state.running) requestAnimationFrame(tick);
    };
    const longTasks = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) state.longTasks.push(entry.duration);
    });
    longTasks.observe({ type: 'longtask' });
    // event.timeStamp is when the browser received the input; the next animation frame after the handlers is
    // the earliest the page can show their effect.
    const onKey = (event) => {
      if (!event.isTrusted) return;
      requestAnimationFrame(() => state.inputLatencies.push(performance.now() - event.timeStamp));
    };
    window.addEventListener('keydown', onKey, true);
    state.stop = () => {
      state.running = false;
      longTasks.disconnect();
      window.removeEventListener('keydown', onKey, true);
      state.durationMs = performance.now() - state.startedAt;
    };
    window.__quireFrameRecorder = state;
    requestAnimationFrame(tick);
  })()`);
}

export async function stopFrameRecorder(page: Page): Promise<FrameRecord> {
  // Two frames first, so the last update drawn is inside the record and pending latency entries land.
  return (await page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => {
    const state = window.__quireFrameRecorder;
    if (!state) throw new Error('no frame recorder is running in the page');
    state.stop();
    delete window.__quireFrameRecorder;
    resolve({ frameDeltas: state.frameDeltas, longTasks: state.longTasks, inputLatencies: state.inputLatencies, durationMs: state.durationMs });
  })))`)) as FrameRecord;
}

/**
 * Every `everyMs` until `done()`, types one `x` into the focused editor (a real input whose answer is a
 * character drawn by the editor). Returns the keys sent.
 */
export async function typeUntil(page: Page, done: () => boolean, everyMs = 100): Promise<number> {
  let sent = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, everyMs));
    if (done()) return sent;
    await page.keyboard.press('x');
    sent += 1;
  }
}

/**
 * Waits until the notebook shows `outputsPerCell.length` cells, each with the saved number of output
 * elements, and the kernel badge reads idle.
 */
export async function waitForRenderedNotebook(page: Page, outputsPerCell: number[], timeoutMs: number): Promise<void> {
  // A function, not a string: the UI's CSP forbids eval, which a string predicate needs. It declares no inner
  // function, so tsx's keepNames helper is not needed in the page.
  await page.waitForFunction((expected) => {
    const cells = document.querySelectorAll('.notebook-panel .cell');
    if (cells.length !== expected.length) return false;
    for (let i = 0; i < expected.length; i++) {
      if (cells[i]!.querySelectorAll('.outputs > .output').length !== expected[i]) return false;
    }
    return document.querySelector('.kernel-status[data-status="idle"]') !== null;
  }, outputsPerCell, { timeout: timeoutMs, polling: 'raf' });
}

/**
 * Waits until every Arrow table output has been loaded into duckdb-wasm (its interactive table replaced the
 * kernel's HTML) or says why not, and every chart is drawn or says why not.
 */
export async function waitForSettledOutputs(page: Page, timeoutMs: number): Promise<void> {
  await page.waitForFunction(() => {
    const tablesLoaded = Array.from(document.querySelectorAll('.output-table')).every((table) => table.querySelector('.table-widget, .output-warning'));
    const chartsDrawn = Array.from(document.querySelectorAll('.output-chart .chart-host')).every((chart) => chart.querySelector('svg, canvas, .output-error'));
    return tablesLoaded && chartsDrawn;
  }, undefined, { timeout: timeoutMs, polling: 100 });
}
