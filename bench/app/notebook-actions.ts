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
  // Leave edit mode before clicking: a click on the prompt of the cell being edited keeps it in edit mode but
  // moves the focus to the cell, where Escape no longer reaches the editor.
  await leaveEditMode(page);
  await cells.last().locator('.cell-prompt').click();
  await page.keyboard.press('b');
  await cells.nth(index).waitFor();
  await page.keyboard.press('Enter');
  await cells.nth(index).locator('.monaco-editor.focused').waitFor();
  await page.keyboard.insertText(source);
  await leaveEditMode(page);
  return index;
}

/** Escape until no cell is in edit mode: the first Escape may only close the editor's suggestions. */
async function leaveEditMode(page: Page): Promise<void> {
  const editing = page.locator('.notebook-panel .cell.editing');
  for (let presses = 0; presses < 3 && (await editing.count()) > 0; presses++) await page.keyboard.press('Escape');
  if ((await editing.count()) > 0) throw new Error('a cell is still in edit mode after three presses of Escape');
}

/** Resolves when cell `index` is idle with an execution count, i.e. its run ended. */
export async function waitForCellRun(page: Page, index: number, timeoutMs: number): Promise<void> {
  await page.waitForFunction((cellIndex) => {
    const cell = document.querySelectorAll<HTMLElement>('.notebook-panel .cell')[cellIndex];
    return cell?.dataset.state === 'idle' && /\[\d+\]/.test(cell.querySelector('.cell-prompt')?.textContent ?? '');
  }, index, { timeout: timeoutMs, polling: 100 });
}
