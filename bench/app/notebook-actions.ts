/// <reference lib="dom" />
/** What the bench does to a notebook through the keyboard, as a user would. */
import type { Page } from 'playwright-core';

/**
 * Adds a code cell after the last one (command mode `b`), types `source` into it and leaves it selected in
 * command mode. Returns the new cell's index.
 */
export async function appendCodeCell(page: Page, source: string): Promise<number> {
  const cells = page.locator('.notebook-panel .cell');
  const index = await cells.count();
  await cells.last().locator('.cell-prompt').click();
  await page.keyboard.press('Escape');
  await page.keyboard.press('b');
  await cells.nth(index).waitFor();
  await page.keyboard.press('Enter');
  await cells.nth(index).locator('.monaco-editor.focused').waitFor();
  await page.keyboard.insertText(source);
  await page.keyboard.press('Escape');
  return index;
}

/** Resolves when cell `index` is idle with an execution count, i.e. its run ended. */
export async function waitForCellRun(page: Page, index: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction((cellIndex) => {
    const cell = document.querySelectorAll<HTMLElement>('.notebook-panel .cell')[cellIndex];
    return cell?.dataset.state === 'idle' && /\[\d+\]/.test(cell.querySelector('.cell-prompt')?.textContent ?? '');
  }, index, { timeout: timeoutMs, polling: 100 });
}
