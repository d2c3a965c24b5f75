import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unexpectedErrors } from './support/browser.js';
import { readSavedNotebook, sourceText } from './support/notebook-file.js';
import { useNotebookApp } from './support/notebook-app.js';

/**
 * Monaco is a chunk loaded after the notebook is shown. With that chunk held back, the notebook must still be
 * painted and usable (command keys, editing, running), and what was typed must end up in the Monaco editor
 * once it arrives, with the caret where it was.
 */
const MONACO_CHUNK = /\/assets\/monaco-cell-editor-[^/]*\.js$/;
const PATH = 'before-monaco.ipynb';
const SOURCES = ['console.log("first output")', 'const placeholder = 1;', 'const later = 2;'];

const { backend, browser, notebook } = useNotebookApp({ open: false });

describe('a notebook opened before Monaco has loaded', () => {
  it('paints, takes command keys, edits and runs cells, then hands what was typed to Monaco', async () => {
    await writeFile(join(backend().root, PATH), JSON.stringify(savedNotebook()));
    const page = browser().page;
    let requested = false;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    await page.route(MONACO_CHUNK, async (route) => {
      requested = true;
      await released;
      await route.continue();
    });

    await notebook().open(`${backend().uiUrl}&open=${encodeURIComponent(PATH)}`);
    expect(requested, 'Monaco is requested at boot').toBe(true);
    expect(await page.locator('.monaco-editor').count()).toBe(0);
    await expect.poll(() => notebook().sourcesOnScreen()).toEqual(SOURCES);
    await expect.poll(() => notebook().cell(0).locator('.stream-text').textContent()).toContain('first output');
    expect(await notebook().cell(0).locator('.stream-text').isVisible()).toBe(true);
    await notebook().waitKernelIdle();

    // Command mode: B inserts a cell below, D D deletes it.
    await notebook().cell(0).locator('.cell-prompt').click();
    await page.keyboard.press('b');
    await expect.poll(() => notebook().cells().count()).toBe(4);
    expect(await notebook().selection()).toEqual({ index: 1, mode: 'command' });
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect.poll(() => notebook().cells().count()).toBe(3);

    // Edit mode in the plain editor, then Shift+Enter runs what was typed and selects the next cell.
    await notebook().cell(1).locator('.cell-prompt').click();
    await page.keyboard.press('Enter');
    await expect.poll(() => notebook().selection()).toEqual({ index: 1, mode: 'edit' });
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('const typed = 6 * 7;\nconsole.log("typed", typed)');
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => notebook().cell(1).locator('.stream-text').textContent(), { timeout: 60_000 }).toContain('typed 42');
    expect(await notebook().selection()).toEqual({ index: 2, mode: 'command' });

    // Still before Monaco: type into the next cell and leave the caret inside the text.
    await page.keyboard.press('Enter');
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type('let late = 1;');
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    expect(await page.locator('.monaco-editor').count()).toBe(0);

    release();
    await notebook().cell(2).locator('.monaco-editor.focused').waitFor({ timeout: 60_000 });
    expect(await notebook().sourceOnScreen(2)).toBe('let late = 1;');
    await page.keyboard.type('X');
    await expect.poll(() => notebook().sourceOnScreen(2)).toBe('let late =X 1;');
    await expect.poll(() => notebook().sourceOnScreen(1)).toBe('const typed = 6 * 7;\nconsole.log("typed", typed)');
    await notebook().cell(1).locator('.monaco-editor').waitFor();

    await page.keyboard.press('ControlOrMeta+S');
    await expect.poll(() => page.locator('.save-status').getAttribute('data-state')).toBe('saved');
    const saved = await readSavedNotebook(backend().root, PATH);
    expect(saved.cells.map(sourceText)).toEqual([SOURCES[0], 'const typed = 6 * 7;\nconsole.log("typed", typed)', 'let late =X 1;']);
    await browser().screenshot('editor-before-monaco');
    expect(unexpectedErrors(browser(), backend())).toEqual([]);
  });
});

function savedNotebook(): object {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'quire', display_name: 'Quire (TypeScript)', language: 'typescript' } },
    cells: SOURCES.map((source, index) => ({
      id: `cell-${index}`,
      cell_type: 'code',
      source,
      metadata: {},
      execution_count: index === 0 ? 1 : null,
      outputs: index === 0 ? [{ output_type: 'stream', name: 'stdout', text: 'first output\n' }] : [],
    })),
  };
}
