import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** Drives the notebook UI the way a person does: clicks, keys, typing into monaco. */
export class NotebookPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  }

  async createNotebook(): Promise<string> {
    await this.page.click('[data-action="new-notebook"]');
    const tab = this.page.locator('.tab[aria-selected="true"]');
    await tab.waitFor();
    await this.waitKernelIdle();
    return (await tab.getAttribute('data-path'))!;
  }

  async waitKernelIdle(timeout = 60_000): Promise<void> {
    await this.page.waitForSelector('.kernel-status[data-status="idle"]', { timeout });
  }

  cells(): Locator {
    return this.page.locator('.notebook-panel .cell');
  }

  cell(index: number): Locator {
    return this.cells().nth(index);
  }

  /** Replaces a cell's source by typing into its editor (monaco), leaving the cell in edit mode. */
  async setSource(index: number, source: string): Promise<void> {
    const cell = this.cell(index);
    await cell.locator('.cell-input').click();
    await cell.locator('.monaco-editor textarea').waitFor({ state: 'attached' });
    await this.page.keyboard.press('ControlOrMeta+A');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.insertText(source);
  }

  /** Runs the cell (Ctrl+Enter) and waits until it has finished. */
  async run(index: number, timeout = 60_000): Promise<void> {
    const cell = this.cell(index);
    await cell.locator('.cell-input').click();
    await this.page.keyboard.press('Control+Enter');
    await this.page.waitForFunction(
      (i) => {
        const cell = document.querySelectorAll('.notebook-panel .cell')[i] as HTMLElement | undefined;
        return cell?.dataset.state === 'idle' && /\[\d+\]/.test(cell.querySelector('.cell-prompt')?.textContent ?? '');
      },
      index,
      { timeout },
    );
  }

  async addCell(): Promise<number> {
    await this.page.click('[data-action="add-code"]');
    return (await this.cells().count()) - 1;
  }

  async save(): Promise<void> {
    await this.page.click('[data-action="save"]');
    await expect.poll(() => this.page.locator('.save-status').getAttribute('data-state')).toBe('saved');
  }
}
