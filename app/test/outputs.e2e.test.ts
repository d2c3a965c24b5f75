import { spawn } from 'node:child_process';
import { copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { REPO } from './support/backend.js';
import { unexpectedErrors } from './support/browser.js';
import { readSavedNotebook, sourceText } from './support/notebook-file.js';
import { useNotebookApp } from './support/notebook-app.js';

const QUIRE = join(REPO, 'kernel', 'bin', 'quire.mjs');

/** A small table every chart test draws from: three cities over three years, with a count per row. */
const SALES_SQL = [
  '%%sql',
  'SELECT * FROM (VALUES',
  "  ('Oslo', 2021, 'north', 10), ('Oslo', 2022, 'north', 14), ('Oslo', 2023, 'north', 9),",
  "  ('Lyon', 2021, 'south', 7), ('Lyon', 2022, 'south', 12), ('Lyon', 2023, 'south', 20),",
  "  ('Bari', 2021, 'south', 3), ('Bari', 2022, 'south', 5), ('Bari', 2023, 'south', 4)",
  ') AS sales(city, year, region, units)',
].join('\n');

const app = useNotebookApp({ createNotebook: true, setupTimeout: 240_000 });

/** Vega's SVG renderer puts each mark in a `g.mark-<type>.role-mark`: the marks drawn, in document order. */
function drawnMarks(cell: Locator): Promise<string[]> {
  return cell.locator('.chart-host .vega-chart svg g.role-mark').evaluateAll((groups) =>
    groups.map((group) => [...group.classList].find((name) => name.startsWith('mark-'))!.slice('mark-'.length)));
}

/** The chart's drawn SVG, to compare two drawings of the same chart. */
function chartMarkup(cell: Locator): Promise<string> {
  return cell.locator('.chart-host .vega-chart svg').first().evaluate((svg) => svg.outerHTML);
}

describe('outputs in a real browser', () => {
  it('completes from the kernel (spark.re → read, Math.ma → max) and shows a variable\'s type on hover', async () => {
    const page = app.page();
    await app.notebook().setSource(0, 'const total = 40 + 2;');
    await app.notebook().run(0);

    const index = await app.notebook().addCell();
    await app.notebook().setSource(index, '');
    await page.keyboard.type('spark.re');
    const suggestions = page.locator('.suggest-widget.visible .monaco-list-row .label-name');
    await expect.poll(() => suggestions.allTextContents(), { timeout: 30_000 }).toContain('read');
    await page.keyboard.press('Escape');

    await app.notebook().setSource(index, '');
    await page.keyboard.type('Math.ma');
    await expect.poll(() => suggestions.allTextContents(), { timeout: 30_000 }).toContain('max');
    await app.browser().screenshot('outputs-completions');
    await page.keyboard.press('Escape');

    // The variable alone on its line: monaco merges same-coloured tokens into one span, and this one is the word.
    await app.notebook().setSource(index, 'total');
    const word = app.notebook().cell(index).locator('.view-lines .view-line span span', { hasText: /^total$/ });
    await word.hover();
    const hover = page.locator('.monaco-hover:not(.hidden) .hover-contents');
    await expect.poll(() => hover.allTextContents(), { timeout: 30_000 }).toContainEqual(expect.stringMatching(/total\s*:\s*number/));
    await app.browser().screenshot('outputs-hover');
    await page.keyboard.press('Escape');

    /** A new cell whose completion request waits behind a cell running for 3 s (shell requests are answered in turn). */
    const completionBehindABusyCell = async (): Promise<number> => {
      const busy = await app.notebook().addCell();
      await app.notebook().setSource(busy, 'await new Promise((resolve) => setTimeout(resolve, 3000))');
      await page.keyboard.press('Control+Enter');
      await page.waitForSelector('.kernel-status[data-status="busy"]');
      const waiting = await app.notebook().addCell();
      await app.notebook().setSource(waiting, '');
      await page.keyboard.type('Math.');
      return waiting;
    };

    // A completion the kernel answers after its cell was deleted is dropped, not applied to the disposed editor.
    const gone = await completionBehindABusyCell();
    await page.keyboard.press('Escape');
    await expect.poll(() => app.notebook().selection()).toEqual({ index: gone, mode: 'command' });
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect.poll(() => app.notebook().cells().count()).toBe(gone);
    await expect.poll(() => page.locator('.kernel-status').getAttribute('data-status'), { timeout: 30_000 }).toBe('idle');
    // Let the completion reply arrive and be handled.
    await page.waitForTimeout(500);
    expect(unexpectedErrors(app.browser(), app.backend())).toEqual([]);

    // A completion still waiting when the kernel restarts is dropped with the restart, not reported as an error.
    await completionBehindABusyCell();
    await page.click('[data-action="restart"]');
    await expect.poll(() => page.locator('.kernel-status').getAttribute('data-status'), { timeout: 60_000 }).toBe('idle');
    await page.waitForTimeout(500);
    expect(unexpectedErrors(app.browser(), app.backend())).toEqual([]);
  }, 180_000);

  it('shows a thrown error\'s name and message, its failing cell line, and the traceback folded until opened', async () => {
    const index = await app.notebook().addCell();
    // One line per statement: monaco auto-closes and re-indents braces typed across lines.
    await app.notebook().setSource(index, [
      'const divisor = 0;',
      'function checkedRatio(a: number, b: number): number { if (b === 0) throw new RangeError(`cannot divide ${a} by zero`); return a / b; }',
      'checkedRatio(7, divisor);',
    ].join('\n'));
    await app.notebook().run(index);
    const error = app.notebook().cell(index).locator('.output[data-output-type="error"] .output-error');
    await expect.poll(() => error.locator('.error-title').textContent()).toBe('RangeError: cannot divide 7 by zero');
    // The line that threw, with a caret under where: not the call site, and not only a position.
    await expect.poll(() => error.locator('.error-line').textContent()).toMatch(/^cell \d+, line 2:\n\s+function checkedRatio.*throw new RangeError.*\n\s+\^$/);

    const traceback = error.locator('details.error-traceback');
    expect(await traceback.getAttribute('open')).toBeNull();
    expect(await traceback.locator('pre').isVisible()).toBe(false);
    await traceback.locator('summary').click();
    await expect.poll(() => traceback.locator('pre').isVisible()).toBe(true);
    await expect.poll(() => traceback.locator('pre').textContent()).toMatch(/checkedRatio/);
    await app.browser().screenshot('outputs-error');
  }, 120_000);

  it('draws line, area, scatter and pie marks, redraws for x, y, color and aggregation, and saves the choice', async () => {
    const page = app.page();
    const path = await app.notebook().freshNotebook();
    await app.notebook().setSource(0, SALES_SQL);
    await app.notebook().run(0, 90_000);
    const cell = app.notebook().cell(0);
    await expect.poll(() => cell.locator('.table-footer').textContent()).toMatch(/^9 rows · 4 columns/);

    const expectedMark = { bar: 'rect', line: 'line', area: 'area', scatter: 'symbol', pie: 'arc' } as const;
    for (const [kind, mark] of Object.entries(expectedMark)) {
      await cell.locator(`button[data-kind="${kind}"]`).click();
      await expect.poll(() => drawnMarks(cell), { timeout: 30_000 }).toEqual([mark]);
    }

    // Back to bars: x, y, colour and aggregation each change what is drawn.
    await cell.locator('button[data-kind="bar"]').click();
    await expect.poll(() => drawnMarks(cell)).toEqual(['rect']);
    const bars = cell.locator('.chart-host .vega-chart svg g.mark-rect path');
    await cell.locator('select[data-field="x"]').selectOption('city');
    await cell.locator('select[data-field="y"]').selectOption('units');
    await cell.locator('select[data-field="aggregate"]').selectOption('sum');
    await expect.poll(() => bars.count()).toBe(3);
    const summed = await chartMarkup(cell);

    await cell.locator('select[data-field="aggregate"]').selectOption('max');
    await expect.poll(() => chartMarkup(cell)).not.toBe(summed);
    await expect.poll(() => cell.locator('.chart-host svg').textContent()).toContain('max(units)');

    await cell.locator('select[data-field="x"]').selectOption('year');
    await expect.poll(() => cell.locator('.chart-host svg').textContent()).toMatch(/2021.*2022.*2023/);
    await expect.poll(() => bars.count()).toBe(3);

    await cell.locator('select[data-field="color"]').selectOption('region');
    await expect.poll(() => bars.count()).toBe(6);
    const legend = cell.locator('.chart-host svg g.role-legend');
    await expect.poll(() => legend.textContent()).toContain('region');
    await expect.poll(() => legend.textContent()).toMatch(/north.*south/);
    // A maximum per region does not add up: the two regions' bars stand side by side, not stacked.
    const barLefts = () => bars.evaluateAll((paths) => new Set(paths.map((path) => path.getAttribute('d')!.match(/^M(-?[\d.]+)/)![1])).size);
    await expect.poll(barLefts).toBe(6);
    await app.browser().screenshot('outputs-chart-builder');
    await cell.locator('select[data-field="aggregate"]').selectOption('sum');
    await expect.poll(barLefts).toBe(3);

    await page.keyboard.press('Escape');
    await app.notebook().save();
    const saved = await readSavedNotebook(app.backend().root, path);
    expect((saved.cells[0]!.metadata.quire as { charts: Record<string, unknown> }).charts).toEqual({
      0: { kind: 'bar', x: 'year', y: 'units', color: 'region', aggregate: 'sum' },
    });
  }, 240_000);

  it('shows the same chart after the notebook is replayed headless by `quire run`', async () => {
    const path = await app.notebook().freshNotebook();
    await app.notebook().setSource(0, SALES_SQL);
    await app.notebook().run(0, 90_000);
    const cell = app.notebook().cell(0);
    await cell.locator('button[data-kind="bar"]').click();
    await cell.locator('select[data-field="x"]').selectOption('city');
    await cell.locator('select[data-field="y"]').selectOption('units');
    await cell.locator('select[data-field="aggregate"]').selectOption('sum');
    await expect.poll(() => cell.locator('.chart-host svg g.mark-rect path').count()).toBe(3);
    const before = await chartMarkup(cell);
    await app.page().keyboard.press('Escape');
    await app.notebook().save();

    // Replay a copy, so the executed notebook is new to the UI and owes its outputs to the replay alone.
    const source = join(app.backend().root, 'to-replay.ipynb');
    await copyFile(join(app.backend().root, path), source);
    const replay = await runQuire(['run', source, '--out', join(app.backend().root, 'replayed.ipynb')]);
    expect(replay.code, replay.output).toBe(0);
    const replayed = await readSavedNotebook(app.backend().root, 'replayed.ipynb');
    const saved = await readSavedNotebook(app.backend().root, path);
    expect(sourceText(replayed.cells[0]!)).toBe(sourceText(saved.cells[0]!));
    expect(replayed.cells[0]!.outputs?.length).toBeGreaterThan(0);

    const page = app.page();
    await page.locator('.tab[aria-selected="true"] .tab-close').click();
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    await page.locator('.file-item[data-path="replayed.ipynb"] .file-name').click();
    await expect.poll(() => page.locator('.tab[aria-selected="true"]').getAttribute('data-path')).toBe('replayed.ipynb');
    const reopened = app.notebook().cell(0);
    await expect.poll(() => reopened.locator('button[data-kind="bar"]').getAttribute('aria-selected'), { timeout: 30_000 }).toBe('true');
    await expect.poll(() => reopened.locator('.chart-host svg g.mark-rect path').count(), { timeout: 30_000 }).toBe(3);
    expect(await chartMarkup(reopened)).toBe(before);
    await app.browser().screenshot('outputs-replayed-chart');
  }, 300_000);

  it('truncates an output past the size limit and reveals the rest with "show more"', async () => {
    await app.notebook().freshNotebook();
    await app.notebook().setSource(0, "for (let i = 1; i <= 6000; i++) console.log(`line ${String(i).padStart(5, '0')}`);");
    await app.notebook().run(0, 90_000);
    const cell = app.notebook().cell(0);
    const text = cell.locator('.stream-text');
    const more = cell.locator('.truncated .show-more');
    await expect.poll(() => more.isVisible(), { timeout: 30_000 }).toBe(true);
    const shown = (await text.textContent())!;
    expect(shown.length).toBeLessThanOrEqual(20_000);
    expect(shown.startsWith('line 00001\n')).toBe(true);
    expect(shown.endsWith('\n'), 'the cut falls between lines').toBe(true);
    expect(shown).not.toContain('line 06000');
    const hiddenLines = 6000 - (shown.match(/\n/g) ?? []).length;
    await expect.poll(() => more.textContent()).toMatch(new RegExp(`^Show more \\(${hiddenLines.toLocaleString()} more lines`));
    await app.browser().screenshot('outputs-truncated');

    await more.click();
    await expect.poll(async () => (await text.textContent())!.length).toBeGreaterThan(shown.length);
    for (let clicks = 0; clicks < 5 && (await more.isVisible()); clicks++) await more.click();
    expect(await more.isVisible()).toBe(false);
    const all = (await text.textContent())!;
    expect(all.split('\n').filter(Boolean)).toHaveLength(6000);
    expect(all.trimEnd().endsWith('line 06000')).toBe(true);
    expect(unexpectedErrors(app.browser(), app.backend())).toEqual([]);
  }, 180_000);
});

function runQuire(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [QUIRE, ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}
