import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { unexpectedErrors } from './support/browser.js';
import { answerOpenDialog, fireMenuCommand, fireOpenRecent, installDesktopApiStub, reportedRecent } from './support/desktop-api-stub.js';
import { modifiedAt, nbformatProblem, readSavedNotebook, sourceText, streamText } from './support/notebook-file.js';
import { useNotebookApp } from './support/notebook-app.js';

const { backend, browser, notebook } = useNotebookApp();

/** A cell's stream output as shown. */
function shownStream(index: number): Promise<string | null> {
  return notebook().cell(index).locator('.stream-text').first().textContent();
}

describe('cells in a real browser', () => {
  it('moves between command and edit mode and runs, inserts, deletes, converts and undoes with Jupyter keys', async () => {
    const page = browser().page;
    const path = await notebook().freshNotebook();

    // Enter / Esc.
    await notebook().setSource(0, "console.log('first')");
    await expect.poll(() => notebook().selection()).toEqual({ index: 0, mode: 'edit' });
    await page.keyboard.press('Escape');
    await expect.poll(() => notebook().selection()).toEqual({ index: 0, mode: 'command' });
    await page.keyboard.press('Enter');
    await expect.poll(() => notebook().selection()).toEqual({ index: 0, mode: 'edit' });
    expect(await notebook().sourceOnScreen(0)).toBe("console.log('first')");
    await page.keyboard.press('Escape');

    // Ctrl+Enter in command mode: runs, stays on the cell, adds none.
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => notebook().executionCount(0), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => shownStream(0)).toBe('first\n');
    expect(await notebook().cells().count()).toBe(1);
    expect(await notebook().selection()).toEqual({ index: 0, mode: 'command' });

    // Shift+Enter in edit mode on the last cell: runs and opens a new cell below in edit mode.
    await page.keyboard.press('Enter');
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => notebook().cells().count()).toBe(2);
    await expect.poll(() => notebook().selection()).toEqual({ index: 1, mode: 'edit' });
    await expect.poll(() => notebook().executionCount(0)).toBe(2);

    // Shift+Enter in command mode with a cell below: runs, selects the next cell, adds none.
    await notebook().commandMode(0);
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => notebook().executionCount(0)).toBe(3);
    await expect.poll(() => notebook().selection()).toEqual({ index: 1, mode: 'command' });
    expect(await notebook().cells().count()).toBe(2);

    // Alt+Enter in edit mode: runs and inserts a cell below, even though one could have been selected.
    await notebook().setSource(1, "console.log('second')");
    await page.keyboard.press('Alt+Enter');
    await expect.poll(() => notebook().cells().count()).toBe(3);
    await expect.poll(() => notebook().selection()).toEqual({ index: 2, mode: 'edit' });
    await expect.poll(() => shownStream(1)).toBe('second\n');
    await page.keyboard.insertText('// third');

    // A / B in command mode insert above / below the selected cell and select the new cell.
    await notebook().commandMode(1);
    await page.keyboard.press('a');
    await expect.poll(() => notebook().cells().count()).toBe(4);
    await expect.poll(() => notebook().selection()).toEqual({ index: 1, mode: 'command' });
    await page.keyboard.press('b');
    await expect.poll(() => notebook().cells().count()).toBe(5);
    await expect.poll(() => notebook().selection()).toEqual({ index: 2, mode: 'command' });
    await expect.poll(() => notebook().sourcesOnScreen()).toEqual(["console.log('first')", '', '', "console.log('second')", '// third']);

    // D D deletes; a single D does not.
    await page.keyboard.press('d');
    await page.waitForTimeout(900);
    await page.keyboard.press('d');
    expect(await notebook().cells().count()).toBe(5);
    await page.keyboard.press('d');
    await expect.poll(() => notebook().cells().count()).toBe(4);
    await notebook().commandMode(1);
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect.poll(() => notebook().sourcesOnScreen()).toEqual(["console.log('first')", "console.log('second')", '// third']);

    // D D on a cell with outputs, then Z brings it back where it was, with its source, outputs and count.
    await notebook().commandMode(1);
    const secondCount = await notebook().executionCount(1);
    expect(secondCount).toBeGreaterThan(0);
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect.poll(() => notebook().sourcesOnScreen()).toEqual(["console.log('first')", '// third']);
    await page.keyboard.press('z');
    await expect.poll(() => notebook().sourcesOnScreen()).toEqual(["console.log('first')", "console.log('second')", '// third']);
    await expect.poll(() => shownStream(1)).toBe('second\n');
    expect(await notebook().executionCount(1)).toBe(secondCount);
    await expect.poll(() => notebook().selection()).toEqual({ index: 1, mode: 'command' });

    // M makes a markdown cell (rendered, no prompt), Y a code cell again.
    await notebook().commandMode(2);
    await page.keyboard.press('m');
    await expect.poll(() => notebook().cell(2).getAttribute('data-type')).toBe('markdown');
    await expect.poll(() => notebook().sourceOnScreen(2)).toBe('// third');
    expect(await notebook().cell(2).locator('.rendered-markdown p').count()).toBe(1);
    await page.keyboard.press('y');
    await expect.poll(() => notebook().cell(2).getAttribute('data-type')).toBe('code');
    await page.keyboard.press('m');
    await expect.poll(() => notebook().cell(2).getAttribute('data-type')).toBe('markdown');
    await browser().screenshot('cells-keys');

    // On a non-Latin layout (Russian: the D key types "в", M types "ь") the keys act by their position,
    // as in Jupyter; Latin layouts act by the letter typed.
    await pressOnLayout('н', 'KeyY');
    await expect.poll(() => notebook().cell(2).getAttribute('data-type')).toBe('code');
    await pressOnLayout('ь', 'KeyM');
    await expect.poll(() => notebook().cell(2).getAttribute('data-type')).toBe('markdown');
    await pressOnLayout('в', 'KeyD');
    await pressOnLayout('в', 'KeyD');
    await expect.poll(() => notebook().cells().count()).toBe(2);
    await pressOnLayout('я', 'KeyZ');
    await expect.poll(() => notebook().sourcesOnScreen()).toEqual(["console.log('first')", "console.log('second')", '// third']);
    expect(await notebook().cell(2).getAttribute('data-type')).toBe('markdown');

    // Ctrl+S in command mode writes the notebook to the server's root as nbformat 4.5, once.
    const saves: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PUT' && request.url().includes('/api/contents/')) saves.push(request.url());
    });
    const before = await modifiedAt(backend().root, path);
    await page.keyboard.press('Control+s');
    await expect.poll(() => modifiedAt(backend().root, path)).not.toBe(before);
    await expect.poll(() => page.locator('.save-status').getAttribute('data-state')).toBe('saved');
    const saved = await readSavedNotebook(backend().root, path);
    expect(saved.nbformat_minor).toBe(5);
    expect(saved.cells.map((cell) => [cell.cell_type, sourceText(cell)])).toEqual([
      ['code', "console.log('first')"],
      ['code', "console.log('second')"],
      ['markdown', '// third'],
    ]);
    expect(new Set(saved.cells.map((cell) => cell.id)).size).toBe(3);
    expect(streamText(saved.cells[1]!)).toBe('second\n');
    expect(saved.cells[1]!.execution_count).toBe(secondCount);
    expect(saved.cells[2]!.outputs).toBeUndefined();
    expect(await nbformatProblem(backend().root, path)).toBeNull();
    expect(saves).toHaveLength(1);

    // Ctrl+S in edit mode saves what was just typed, once.
    await notebook().setSource(0, "console.log('edited')");
    await expect.poll(() => page.locator('.save-status').getAttribute('data-state')).toBe('unsaved');
    await page.keyboard.press('Control+s');
    await expect.poll(async () => sourceText((await readSavedNotebook(backend().root, path)).cells[0]!)).toBe("console.log('edited')");
    expect(await notebook().selection()).toEqual({ index: 0, mode: 'edit' });
    await page.waitForTimeout(300);
    expect(saves).toHaveLength(2);
  }, 180_000);

  it('selects the cell being edited in command mode when its prompt is clicked, as Jupyter does', async () => {
    const page = browser().page;
    await notebook().freshNotebook();
    await notebook().setSource(0, "console.log('prompt')");
    await expect.poll(() => notebook().selection()).toEqual({ index: 0, mode: 'edit' });

    await notebook().cell(0).locator('.cell-prompt').click();
    await expect.poll(() => notebook().selection()).toEqual({ index: 0, mode: 'command' });
    expect(await notebook().cell(0).getAttribute('class')).not.toMatch(/\bediting\b/);
    // Command-mode keys reach the notebook: B inserts a cell below and selects it, nothing is typed into the source.
    await page.keyboard.press('b');
    await expect.poll(() => notebook().cells().count()).toBe(2);
    await expect.poll(() => notebook().selection()).toEqual({ index: 1, mode: 'command' });
    expect(await notebook().sourceOnScreen(0)).toBe("console.log('prompt')");
    // Enter edits the new cell and Escape leaves it again.
    await page.keyboard.press('Enter');
    await expect.poll(() => notebook().selection()).toEqual({ index: 1, mode: 'edit' });
    await page.keyboard.press('Escape');
    await expect.poll(() => notebook().selection()).toEqual({ index: 1, mode: 'command' });

    // The prompt of another cell, pressed while editing, selects that cell in command mode too.
    await notebook().setSource(1, "console.log('other')");
    await notebook().cell(0).locator('.cell-prompt').click();
    await expect.poll(() => notebook().selection()).toEqual({ index: 0, mode: 'command' });
    await page.keyboard.press('a');
    await expect.poll(() => notebook().cells().count()).toBe(3);
    await expect.poll(() => notebook().selection()).toEqual({ index: 0, mode: 'command' });
    expect(await notebook().sourcesOnScreen()).toEqual(['', "console.log('prompt')", "console.log('other')"]);
    expect(unexpectedErrors(browser(), backend())).toEqual([]);
  }, 120_000);

  it("edits a cell pressed before its editor was made, even when the editor is made while the button is held", async () => {
    const page = browser().page;
    await notebook().freshNotebook();
    await notebook().commandMode(0);
    // B adds a cell in command mode: it shows its source as text until its editor is made in idle time, and
    // the editor takes a moment more to be laid out; a press at any point of that must start editing.
    await page.keyboard.press('b');
    await expect.poll(() => notebook().cells().count()).toBe(2);
    const box = await notebook().cell(1).locator('.cell-input').boundingBox();
    if (!box) throw new Error('the new cell has no input on screen');
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    // A person holds the button for a while; the page is idle meanwhile, which is when editors are made.
    await page.waitForTimeout(400);
    await page.mouse.up();
    await expect.poll(() => notebook().selection()).toEqual({ index: 1, mode: 'edit' });
    await page.keyboard.insertText('pressed');
    await expect.poll(() => notebook().sourceOnScreen(1)).toBe('pressed');
    expect(await notebook().cells().count()).toBe(2);
    expect(unexpectedErrors(browser(), backend())).toEqual([]);
  }, 120_000);

  it('reorders cells by dragging their handle, on screen and in the saved notebook', async () => {
    const page = browser().page;
    const path = await notebook().freshNotebook();
    const B = "// cell B\nfor (let i = 0; i < 8; i++) console.log('line', i)";
    await notebook().setSource(0, '// cell A');
    await page.keyboard.press('Alt+Enter');
    await expect.poll(() => notebook().cells().count()).toBe(2);
    // B prints lines: it is tall, and most of its height is output.
    await page.keyboard.insertText("// cell B\nfor (let i = 0; i < 8; i++) console.log('line', i)");
    await page.keyboard.press('Alt+Enter');
    await expect.poll(() => notebook().cells().count()).toBe(3);
    await page.keyboard.insertText('// cell C');
    await page.keyboard.press('Escape');
    await expect.poll(() => notebook().sourcesOnScreen()).toEqual(['// cell A', B, '// cell C']);
    await expect.poll(() => shownStream(1)).toMatch(/line 7/);

    // A onto the lower part of B, over B's output: A goes after B.
    await dragCell(0, 1, 'lower');
    await expect.poll(() => notebook().sourcesOnScreen()).toEqual([B, '// cell A', '// cell C']);
    // C onto the upper part of B, over B's editor: C goes first.
    await dragCell(2, 0, 'upper');
    await expect.poll(() => notebook().sourcesOnScreen()).toEqual(['// cell C', B, '// cell A']);
    // A onto the lower part of C: back between C and B.
    await dragCell(2, 0, 'lower');
    await expect.poll(() => notebook().sourcesOnScreen()).toEqual(['// cell C', '// cell A', B]);
    await browser().screenshot('cells-dragged');

    await notebook().save();
    const saved = await readSavedNotebook(backend().root, path);
    expect(saved.cells.map(sourceText)).toEqual(['// cell C', '// cell A', B]);
    expect(streamText(saved.cells[2]!)).toMatch(/^line 0\n(.|\n)*line 7\n$/);
    expect(await nbformatProblem(backend().root, path)).toBeNull();
  }, 180_000);

  it('runs all, above and below from the toolbar, shows counts and durations, and restarts the kernel', async () => {
    const page = browser().page;
    const path = await notebook().freshNotebook();
    const runs = '(globalThis as { runs?: number }).runs';
    await notebook().setSource(0, `${runs} = (${runs} ?? 0) + 1; console.log('r0', ${runs})`);
    await page.keyboard.press('Alt+Enter');
    await expect.poll(() => notebook().cells().count()).toBe(2);
    await page.keyboard.insertText(`if (!${runs}) throw new Error('no runs yet'); console.log('r1', ${runs})`);
    await page.keyboard.press('Alt+Enter');
    await expect.poll(() => notebook().cells().count()).toBe(3);
    await page.keyboard.insertText(`await new Promise((resolve) => setTimeout(resolve, 1200)); console.log('r2', ${runs})`);
    await expect.poll(() => notebook().executionCount(1), { timeout: 60_000 }).toBe(2);
    await expect.poll(() => notebook().executionCount(0)).toBe(1);

    await page.click('[data-action="run-all"]');
    await expect.poll(() => Promise.all([0, 1, 2].map((i) => notebook().executionCount(i))), { timeout: 60_000 }).toEqual([3, 4, 5]);
    await expect.poll(() => shownStream(2)).toBe('r2 2\n');
    const durations = await notebook().cells().locator('.cell-duration').allTextContents();
    expect(durations).toHaveLength(3);
    for (const duration of durations) expect(duration).toMatch(/^\d+ ms$|^\d+\.\d s$/);
    // The last cell sleeps 1.2 s: its duration says so.
    expect(durations[2]).toMatch(/^1\.\d s$/);
    await browser().screenshot('cells-run-all');

    await page.click('[data-action="restart"]');
    await expect.poll(() => page.locator('.kernel-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('idle');
    // The variable is gone with the old kernel, and counts start again at 1.
    await notebook().commandMode(1);
    await page.click('[data-action="run-below"]');
    await expect.poll(() => Promise.all([0, 1, 2].map((i) => notebook().executionCount(i))), { timeout: 60_000 }).toEqual([3, 1, 5]);
    await expect.poll(() => notebook().cell(1).locator('.output[data-output-type="error"]').textContent()).toMatch(/no runs yet/);
    // Run below stopped at the failing cell: the last cell kept its earlier output.
    expect(await shownStream(2)).toBe('r2 2\n');

    await notebook().commandMode(2);
    await page.click('[data-action="run-above"]');
    await expect.poll(() => Promise.all([0, 1, 2].map((i) => notebook().executionCount(i))), { timeout: 60_000 }).toEqual([2, 3, 5]);
    await expect.poll(() => shownStream(1)).toBe('r1 1\n');
    expect(await notebook().selection()).toEqual({ index: 2, mode: 'command' });
    await browser().screenshot('cells-run-above-below');

    // Counts and durations are saved with the notebook and shown again after a reload.
    const shownDurations = await notebook().cells().locator('.cell-duration').allTextContents();
    await notebook().save();
    expect(await nbformatProblem(backend().root, path)).toBeNull();
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 90_000 });
    await expect.poll(() => notebook().cells().locator('.cell-duration').allTextContents(), { timeout: 30_000 }).toEqual(shownDurations);
    expect(await Promise.all([0, 1, 2].map((i) => notebook().executionCount(i)))).toEqual([2, 3, 5]);
    await notebook().waitKernelIdle();
  }, 180_000);

  it('opens a notebook from File › Open Recent and carries out the native menu commands', async () => {
    const page = browser().page;
    await mkdir(join(backend().root, 'recent'), { recursive: true });
    const recentPath = 'recent/Quarterly.ipynb';
    await writeFile(join(backend().root, recentPath), JSON.stringify({
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'quire', display_name: 'Quire' } },
      cells: [{ id: 'q1', cell_type: 'markdown', source: '# Quarterly numbers', metadata: {} }],
    }));
    if (await page.locator('.tab').count()) await notebook().save();
    await installDesktopApiStub(page);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 90_000 });

    expect(await fireOpenRecent(page, recentPath)).toBe(1);
    const tab = page.locator(`.tab[data-path="${recentPath}"]`);
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    await expect.poll(() => notebook().cell(0).locator('.rendered-markdown h1').textContent()).toBe('Quarterly numbers');
    await expect.poll(() => reportedRecent(page)).toContain(recentPath);

    // Opening it again switches to its tab instead of opening a second one.
    await page.locator('.tab').first().click();
    await fireOpenRecent(page, recentPath);
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    expect(await page.locator(`.tab[data-path="${recentPath}"]`).count()).toBe(1);

    // A recent notebook deleted since is reported, not silently ignored.
    await fireOpenRecent(page, 'recent/Gone.ipynb');
    await expect.poll(() => page.locator('.banner').textContent()).toMatch(/recent\/Gone\.ipynb/);
    await page.locator('.banner').click();
    // Chrome logs the 404 of that request itself: expected here, not an error of the page.
    const errors = browser().pageErrors;
    for (let i = errors.length - 1; i >= 0; i--) if (/404 \(Not Found\) at .*\/api\/contents\/recent\/Gone\.ipynb/.test(errors[i]!)) errors.splice(i, 1);

    // The other menu commands.
    const theme = await page.evaluate(() => document.documentElement.dataset.theme);
    expect(await fireMenuCommand(page, 'toggle-theme')).toBe(1);
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).not.toBe(theme);
    await fireMenuCommand(page, 'toggle-theme');

    await fireMenuCommand(page, 'toggle-cluster');
    await expect.poll(() => page.locator('.cluster-panel').count()).toBe(1);
    await fireMenuCommand(page, 'toggle-cluster');
    await expect.poll(() => page.locator('.cluster-panel').count()).toBe(0);

    await answerOpenDialog(page, null);
    const tabs = await page.locator('.tab').count();
    await fireMenuCommand(page, 'open-notebook');
    await page.waitForTimeout(300);
    expect(await page.locator('.tab').count()).toBe(tabs);

    await fireMenuCommand(page, 'new-notebook');
    await expect.poll(() => page.locator('.tab').count()).toBe(tabs + 1);
    const created = (await page.locator('.tab[aria-selected="true"]').getAttribute('data-path'))!;
    await notebook().waitKernelIdle();
    await notebook().setSource(0, "console.log('from the menu')");
    await page.keyboard.press('Escape');
    await fireMenuCommand(page, 'run-all');
    await expect.poll(() => shownStream(0), { timeout: 60_000 }).toBe('from the menu\n');
    await fireMenuCommand(page, 'save');
    await expect.poll(async () => streamText((await readSavedNotebook(backend().root, created)).cells[0]!)).toBe('from the menu\n');

    // Kernel › Interrupt breaks a busy loop; Kernel › Restart starts the counts again.
    const loop = await notebook().addCell();
    await notebook().setSource(loop, 'while (true) {}');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('.kernel-status[data-status="busy"]');
    await page.waitForTimeout(500);
    await fireMenuCommand(page, 'interrupt');
    await expect.poll(() => notebook().cell(loop).locator('.output[data-output-type="error"]').textContent(), { timeout: 30_000 }).toMatch(/interrupt/i);
    expect(await notebook().executionCount(0)).toBe(1);
    const statuses = await page.evaluateHandle(() => {
      const seen: string[] = [];
      const badge = document.querySelector<HTMLElement>('.notebook-panel .kernel-status')!;
      new MutationObserver(() => seen.push(badge.dataset.status ?? '')).observe(badge, { attributes: true, attributeFilter: ['data-status'] });
      return seen;
    });
    await fireMenuCommand(page, 'restart');
    await expect.poll(() => statuses.evaluate((seen) => seen.join(' ')), { timeout: 60_000 }).toMatch(/restarting.* idle$/);
    await notebook().commandMode(0);
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => notebook().executionCount(0), { timeout: 60_000 }).toBe(1);
    await expect.poll(() => shownStream(0)).toBe('from the menu\n');

    await answerOpenDialog(page, recentPath);
    await fireMenuCommand(page, 'open-notebook');
    await expect.poll(() => tab.getAttribute('aria-selected')).toBe('true');
    await browser().screenshot('cells-open-recent');
    expect(unexpectedErrors(browser(), backend())).toEqual([]);
  }, 180_000);
});

/**
 * A key press as a non-Latin keyboard layout reports it: `key` is the character typed, `code` the physical
 * key. Dispatched to the focused element, since the browser's own keyboard always reports a US layout.
 */
async function pressOnLayout(key: string, code: string): Promise<void> {
  await browser().page.evaluate(([key, code]) => {
    const target = document.activeElement ?? document.body;
    for (const type of ['keydown', 'keyup']) target.dispatchEvent(new KeyboardEvent(type, { key, code, bubbles: true, cancelable: true }));
  }, [key, code]);
}

/**
 * A real mouse drag of cell `from`'s handle onto cell `to`: a fifth of the way down it, or just below its middle
 * (where, on a tall cell, the pointer is over an output that starts above the middle).
 */
async function dragCell(from: number, to: number, part: 'upper' | 'lower'): Promise<void> {
  const page = browser().page;
  const source = notebook().cell(from);
  await source.hover();
  const handle = await source.locator('.drag-handle').boundingBox();
  const target = await notebook().cell(to).boundingBox();
  if (!handle || !target) throw new Error('the drag handle or the target cell is not on screen');
  await page.mouse.move(handle.x + handle.width / 2, handle.y + handle.height / 2);
  await page.mouse.down();
  const y = target.y + target.height * (part === 'upper' ? 0.2 : 0.6);
  await page.mouse.move(target.x + target.width / 2, y, { steps: 12 });
  await page.mouse.move(target.x + target.width / 2 + 4, y, { steps: 2 });
  await page.mouse.up();
}
