import { readFile } from 'node:fs/promises';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { unexpectedErrors } from './support/browser.js';
import { nbformatProblem } from './support/notebook-file.js';
import { useNotebookApp } from './support/notebook-app.js';
import { readPngHeader } from './support/png.js';

const { backend, browser, notebook } = useNotebookApp({ createNotebook: true });

const REGIONS = "SELECT * FROM (VALUES ('north', 3), ('south', 5), ('east', 2)) AS t(region, sales)";
const LIGHT_BG = 'rgb(246, 247, 249)';
const DARK_BG = 'rgb(21, 24, 29)';

/** The bars of the chart drawn in a cell (vega's SVG: one path per datum in the rect mark group). */
function bars(cell: Locator): Locator {
  return cell.locator('.chart-host svg .mark-rect path');
}

/** The fill vega gave a chart's axis labels: it follows the vega theme (dark or default). */
function axisLabelFill(cell: Locator): Promise<string | null> {
  return cell.locator('.chart-host svg .role-axis-label text').first().getAttribute('fill');
}

function bodyBackground(): Promise<string> {
  return browser().page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

describe('themes and chart export in a real browser', () => {
  it('charts a result table as bars in the app and draws a chart from the kernel', async () => {
    // A result table charted as bars in the app, then a chart drawn by the kernel (display.chart).
    await notebook().setSource(0, `%%sql\n${REGIONS}`);
    await notebook().run(0, 90_000);
    await expect.poll(() => notebook().cell(0).locator('.table-footer').textContent()).toMatch(/^3 rows · 2 columns/);
    await notebook().cell(0).locator('button[data-kind="bar"]').click();
    await expect.poll(() => bars(notebook().cell(0)).count()).toBe(3);
    const kernelChart = await notebook().addCell();
    await notebook().setSource(kernelChart, "await display.chart([{ region: 'north', sales: 3 }, { region: 'south', sales: 5 }], { mark: 'bar', x: 'region', y: 'sales' })");
    await notebook().run(kernelChart, 60_000);
    await expect.poll(() => bars(notebook().cell(kernelChart)).count()).toBe(2);
    await browser().screenshot('theme-light-charts');
  }, 180_000);

  it('switches between light and dark, keeps the choice across a reload, and charts and editors follow', async () => {
    const page = browser().page;
    const table = notebook().cell(0);
    const kernelChart = notebook().cell(1);
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await bodyBackground()).toBe(LIGHT_BG);
    const lightLabels = await axisLabelFill(table);
    expect(await page.locator('.monaco-editor').first().getAttribute('class')).toMatch(/\bvs\b/);

    // Until the user chooses, the system's preference is followed, also when it changes.
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await bodyBackground()).toBe(DARK_BG);
    await expect.poll(() => axisLabelFill(table)).not.toBe(lightLabels);
    await page.emulateMedia({ colorScheme: 'light' });
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await expect.poll(() => axisLabelFill(table)).toBe(lightLabels);

    // The user's choice wins over the system's and is kept.
    await page.click('[data-action="toggle-theme"]');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await bodyBackground()).toBe(DARK_BG);
    await expect.poll(() => page.locator('.monaco-editor').first().getAttribute('class')).toMatch(/\bvs-dark\b/);
    // Charts already drawn are redrawn in the dark theme: light labels on the dark page.
    await expect.poll(() => axisLabelFill(table)).not.toBe(lightLabels);
    await expect.poll(() => axisLabelFill(kernelChart)).toBe(await axisLabelFill(table));
    expect(await bars(table).count()).toBe(3);
    await browser().screenshot('theme-dark');

    await notebook().save();
    // Table and chart outputs are saved as nbformat Jupyter tools accept.
    expect(await nbformatProblem(backend().root, (await page.locator('.tab[aria-selected="true"]').getAttribute('data-path'))!)).toBeNull();
    await page.emulateMedia({ colorScheme: 'light' });
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 90_000 });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await bodyBackground()).toBe(DARK_BG);
    await expect.poll(() => bars(notebook().cell(0)).count(), { timeout: 30_000 }).toBe(3);
    const darkLabels = await axisLabelFill(notebook().cell(0));
    expect(darkLabels).not.toBe(lightLabels);
    await notebook().waitKernelIdle();
    await browser().screenshot('theme-dark-reloaded');

    await page.click('[data-action="toggle-theme"]');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    expect(await bodyBackground()).toBe(LIGHT_BG);
    await expect.poll(() => axisLabelFill(notebook().cell(0))).toBe(lightLabels);
    await expect.poll(() => axisLabelFill(notebook().cell(1))).toBe(lightLabels);
    await expect.poll(() => page.locator('.monaco-editor').first().getAttribute('class')).toMatch(/\bvs\b(?!-)/);
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: 90_000 });
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('light');
    await notebook().waitKernelIdle();
  });

  it('exports the bar chart of a result table as PNG and as SVG', async () => {
    const page = browser().page;
    const cell = notebook().cell(0);
    await expect.poll(() => bars(cell).count(), { timeout: 30_000 }).toBe(3);
    // The chart may still be settling after the reload: take its size once it is on screen.
    let chartBox: { width: number; height: number } | null = null;
    await expect.poll(async () => (chartBox = await cell.locator('.chart-host svg').first().boundingBox())).not.toBeNull();

    const [png] = await Promise.all([page.waitForEvent('download'), cell.locator('.chart-export button', { hasText: 'PNG' }).click()]);
    expect(png.suggestedFilename()).toMatch(/\.png$/);
    const pngBytes = await readFile((await png.path())!);
    const header = readPngHeader(pngBytes);
    expect(pngBytes.length).toBeGreaterThan(2_000);
    // Exported at twice the drawn size, for sharp prints.
    expect(Math.abs(header.width - chartBox!.width * 2)).toBeLessThanOrEqual(4);
    expect(Math.abs(header.height - chartBox!.height * 2)).toBeLessThanOrEqual(4);
    // The page's background is painted in, so the image reads on any background.
    expect(header.topLeftAlpha).toBe(255);

    const [svg] = await Promise.all([page.waitForEvent('download'), cell.locator('.chart-export button', { hasText: 'SVG' }).click()]);
    expect(svg.suggestedFilename()).toMatch(/\.svg$/);
    const svgText = await readFile((await svg.path())!, 'utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        root: doc.documentElement.localName,
        bars: doc.querySelectorAll('.mark-rect path').length,
        labels: [...doc.querySelectorAll('.role-axis-label text')].map((text) => text.textContent),
      };
    }, svgText);
    expect(parsed.error).toBeNull();
    expect(parsed.root).toBe('svg');
    expect(parsed.bars).toBe(3);
    expect(parsed.labels).toEqual(expect.arrayContaining(['north', 'south', 'east']));

    // The kernel's own Vega-Lite chart exports too.
    const kernelChart = notebook().cell(1);
    await kernelChart.hover();
    const [kernelSvg] = await Promise.all([page.waitForEvent('download'), kernelChart.locator('.chart-export button[data-format="svg"]').click()]);
    const kernelText = await readFile((await kernelSvg.path())!, 'utf8');
    expect(await page.evaluate((text) => new DOMParser().parseFromString(text, 'image/svg+xml').querySelectorAll('.mark-rect path').length, kernelText)).toBe(2);
    await browser().screenshot('chart-export');
    expect(unexpectedErrors(browser(), backend())).toEqual([]);
  });
});
