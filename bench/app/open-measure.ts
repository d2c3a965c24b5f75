/**
 * Time from navigation to an interactive notebook. "Interactive" means all three of:
 *  1. every cell is in the DOM with as many rendered outputs as it was saved with;
 *  2. the kernel badge reads idle (the notebook can run code);
 *  3. a key typed into the last cell's editor shows in that editor: the user scrolled to the end,
 *     selected the last cell (a click on its prompt), pressed Enter (edit mode: its editor is created if it
 *     was not yet, and focused) and typed, and the page answered.
 * Measured on the Node side from just before `page.goto` until the typed text is in the editor's DOM.
 */
import type { Page } from 'playwright-core';
import type { BenchNotebook } from './bench-notebook.js';
import { waitForRenderedNotebook } from './page-probes.js';

export interface OpenTiming {
  /** performance.now() on the Node side just before navigating. */
  startedAt: number;
  /** Navigation to conditions 1 and 2. */
  renderedMs: number;
  /** Navigation to all three conditions. */
  interactiveMs: number;
}

/** Letters no command-mode key is bound to, so a key that missed the editor changes nothing. */
const TYPED = 'qv';

export async function measureOpen(page: Page, url: string, notebook: BenchNotebook, timeoutMs: number): Promise<OpenTiming> {
  const started = performance.now();
  await page.goto(url, { waitUntil: 'commit', timeout: timeoutMs });
  await waitForRenderedNotebook(page, notebook.outputsPerCell, timeoutMs);
  const renderedMs = performance.now() - started;

  const last = page.locator('.notebook-panel .cell').last();
  await last.locator('.cell-prompt').click({ timeout: timeoutMs });
  await page.keyboard.press('Enter');
  await last.locator('.monaco-editor.focused').waitFor({ timeout: timeoutMs });
  await page.keyboard.type(TYPED);
  await last.locator('.view-lines', { hasText: TYPED }).waitFor({ timeout: timeoutMs });
  return { startedAt: started, renderedMs, interactiveMs: performance.now() - started };
}
