import { expect } from 'vitest';
import type { Locator, Page } from 'playwright-core';

/** Drives the notebook UI the way a person does: clicks, keys, typing into monaco. */
export class NotebookPage {
  constructor(readonly page: Page) {}

  async open(url: string): Promise<void> {
    await this.page.goto(url);
    await this.page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 });
  }

  /** Creates a notebook from the toolbar and returns its path once its tab is selected and its kernel idle. */
  async createNotebook(): Promise<string> {
    const tabs = this.page.locator('.tab');
    const open = await tabs.evaluateAll((elements) => elements.map((tab) => tab.getAttribute('data-path')));
    await this.page.click('[data-action="new-notebook"]');
    // The tab that was selected stays so until the new one opens: wait for a selected tab that was not open before.
    const handle = await this.page.waitForFunction((before) => {
      const path = document.querySelector('.tab[aria-selected="true"]')?.getAttribute('data-path');
      return path && !before.includes(path) ? path : null;
    }, open, { timeout: 30_000 });
    const path = (await handle.jsonValue()) as string;
    await this.waitKernelIdle();
    return path;
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
    // A cell added a moment ago may make its editor after the click, leaving focus on the notebook:
    // click until its editor has the keyboard, or the text would go nowhere.
    await expect.poll(async () => {
      await cell.locator('.cell-input').click();
      await cell.locator('.monaco-editor textarea').waitFor({ state: 'attached' });
      return cell.locator('.monaco-editor.focused').count();
    }, { timeout: 15_000 }).toBe(1);
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

  /** What a cell shows as its source: monaco's lines, the lazy preview, or the rendered markdown's text. */
  async sourceOnScreen(index: number): Promise<string> {
    return this.cell(index).evaluate((cell) => {
      const lines = cell.querySelector<HTMLElement>('.view-lines');
      const text = lines ? [...lines.querySelectorAll<HTMLElement>('.view-line')].sort((a, b) => a.offsetTop - b.offsetTop).map((line) => line.textContent).join('\n')
        : cell.querySelector('.code-preview, .rendered-markdown')?.textContent ?? '';
      return text.replace(/\u00a0/g, ' ').trim();
    });
  }

  /** Every cell's source as shown, top to bottom. */
  async sourcesOnScreen(): Promise<string[]> {
    const count = await this.cells().count();
    const sources: string[] = [];
    for (let i = 0; i < count; i++) sources.push(await this.sourceOnScreen(i));
    return sources;
  }

  /** The selected cell's index and whether it is in edit mode (its editor has the keyboard) or command mode. */
  async selection(): Promise<{ index: number; mode: 'edit' | 'command' }> {
    return this.page.evaluate(() => {
      const cells = [...document.querySelectorAll('.notebook-panel .cell')];
      const index = cells.findIndex((cell) => cell.classList.contains('selected'));
      const editing = index >= 0 && cells[index]!.classList.contains('editing') && !!document.activeElement?.closest('.monaco-editor');
      return { index, mode: editing ? 'edit' as const : 'command' as const };
    });
  }

  /** The execution count a code cell shows ("[3]" → 3), or null for "[ ]". */
  async executionCount(index: number): Promise<number | null> {
    const prompt = (await this.cell(index).locator('.cell-prompt').textContent()) ?? '';
    const match = /^\[(\d+)\]$/.exec(prompt.trim());
    return match ? Number(match[1]) : null;
  }

  /** Clicks a cell's input and leaves edit mode, so the next keys are command-mode keys for that cell. */
  async commandMode(index: number): Promise<void> {
    await this.cell(index).locator('.cell-input').click();
    await this.page.keyboard.press('Escape');
    await expect.poll(() => this.selection()).toEqual({ index, mode: 'command' });
  }

  /** Saves, closes the active tab and creates a fresh notebook, so a test starts from one empty cell. */
  async freshNotebook(): Promise<string> {
    const open = this.page.locator('.tab[aria-selected="true"]');
    if (await open.count()) {
      await this.save();
      await open.locator('.tab-close').click();
    }
    return this.createNotebook();
  }
}
