import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './support/backend.js';
import { unexpectedErrors } from './support/browser.js';
import { useNotebookApp } from './support/notebook-app.js';

const FLIGHTS = join(REPO, 'node_modules', 'vega-datasets', 'data', 'flights-3m.parquet');

const { backend, browser, notebook } = useNotebookApp({ createNotebook: true });

describe('notebook in a real browser', () => {
  it('groups a Parquet file into a table, charts it, saves, and keeps the chart across a reload', async () => {
    const page = browser().page;
    await notebook().setSource(0, [
      `const flights = await spark.read.parquet(${JSON.stringify(FLIGHTS)});`,
      `flights.groupBy('origin').agg(count(col('delay')).alias('flights'), avg(col('delay')).alias('avg_delay')).orderBy(col('flights').desc()).limit(20)`,
    ].join('\n'));
    await notebook().run(0, 90_000);
    const cell = notebook().cell(0);
    await expect.poll(() => cell.locator('.table-footer').textContent()).toMatch(/^20 rows · 3 columns/);
    await expect.poll(() => cell.locator('.table-rows .table-row').first().textContent()).toMatch(/^ORD\d+/);

    await cell.locator('button[data-kind="bar"]').click();
    await cell.locator('.chart-host svg, .chart-host canvas').first().waitFor();
    await browser().screenshot('notebook-bar-chart');

    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+s');
    await expect.poll(() => page.locator('.save-status').getAttribute('data-state')).toBe('saved');
    const saved = await fetch(`${backend().baseUrl}api/contents/Untitled.ipynb?token=${backend().token}`).then((r) => r.json()) as { content: { cells: { metadata: Record<string, unknown> }[] } };
    expect(JSON.stringify(saved.content.cells[0]!.metadata)).toContain('"bar"');

    await page.reload();
    await page.waitForSelector('body[data-ready="true"]');
    if ((await notebook().cells().count()) === 0) await page.locator('.file-item[data-path="Untitled.ipynb"] .file-name').click();
    const reopened = notebook().cell(0);
    await expect.poll(() => reopened.locator('button[data-kind="bar"]').getAttribute('aria-selected'), { timeout: 30_000 }).toBe('true');
    await reopened.locator('.chart-host svg, .chart-host canvas').first().waitFor();
    await notebook().waitKernelIdle();
    await browser().screenshot('notebook-reloaded-chart');
  });

  it('interrupts a busy-looping cell and the kernel keeps working', async () => {
    const page = browser().page;
    const loop = await notebook().addCell();
    await notebook().setSource(loop, 'while (true) {}');
    await page.keyboard.press('Control+Enter');
    await page.waitForSelector('.kernel-status[data-status="busy"]');
    await page.waitForTimeout(500);
    await page.click('[data-action="interrupt"]');
    await notebook().waitKernelIdle(30_000);
    await expect.poll(() => notebook().cell(loop).locator('.output[data-output-type="error"]').textContent()).toMatch(/interrupt/i);
    await browser().screenshot('notebook-interrupted');

    const after = await notebook().addCell();
    await notebook().setSource(after, 'console.log(`still alive ${6 * 7}`)');
    await notebook().run(after);
    await expect.poll(() => notebook().cell(after).locator('.stream-text').textContent()).toContain('still alive 42');
  });

  it('shows a %%sql cell result as a table', async () => {
    const index = await notebook().addCell();
    await notebook().setSource(index, `%%sql\nSELECT origin, count(*) AS n FROM read_parquet('${FLIGHTS}') GROUP BY origin ORDER BY n DESC LIMIT 5`);
    await notebook().run(index, 90_000);
    const cell = notebook().cell(index);
    await expect.poll(() => cell.locator('.table-footer').textContent()).toMatch(/^5 rows · 2 columns/);
    await expect.poll(() => cell.locator('.table-header').textContent()).toMatch(/origin.*n/);
    await browser().screenshot('notebook-sql');
  });

  it('sorts and filters a result table in the page (duckdb-wasm), with the first click on a cell being edited', async () => {
    const cell = notebook().cell((await notebook().cells().count()) - 1);
    const origins = () => cell.locator('.table-rows .table-row .table-cell:first-child').allTextContents();
    await expect.poll(origins).toEqual(['ORD', 'DFW', 'ATL', 'LAX', 'PHX']);
    const countHeader = cell.locator('.table-header .th', { hasText: /^n$/ });
    await countHeader.click();
    await expect.poll(() => countHeader.getAttribute('data-sort')).toBe('asc');
    await expect.poll(origins).toEqual(['PHX', 'LAX', 'ATL', 'DFW', 'ORD']);
    await cell.locator('input[aria-label="filter origin"]').fill('a');
    await expect.poll(origins).toEqual(['LAX', 'ATL']);
    await expect.poll(() => cell.locator('.table-footer').textContent()).toMatch(/^2 matching · 5 rows/);
    await browser().screenshot('notebook-table-sort-filter');
    await cell.locator('input[aria-label="filter origin"]').fill('');
    await countHeader.click();
    await countHeader.click();
    await expect.poll(origins).toEqual(['ORD', 'DFW', 'ATL', 'LAX', 'PHX']);
  });

  it('renders a markdown cell sanitized: its scripts and handlers do not run', async () => {
    const page = browser().page;
    await page.click('[data-action="add-markdown"]');
    const index = (await notebook().cells().count()) - 1;
    await notebook().setSource(index, '# Delays by airport\n\nSome **bold** text.\n\n<script>window.__quirePwned = "script"</script>\n<img src="x" onerror="window.__quirePwned = \'onerror\'">');
    await page.keyboard.press('Control+Enter');
    const rendered = notebook().cell(index).locator('.rendered-markdown');
    await expect.poll(() => rendered.locator('h1').textContent()).toBe('Delays by airport');
    await expect.poll(() => rendered.locator('strong').textContent()).toBe('bold');
    expect(await rendered.locator('script').count()).toBe(0);
    expect(await rendered.locator('img').getAttribute('onerror')).toBeNull();
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __quirePwned?: string }).__quirePwned)).toBeUndefined();
    // Chrome reports the handler the sanitizer's inert parse saw as blocked by the UI's CSP: that report is
    // the second line of defence working, not an error of the page.
    const errors = browser().pageErrors;
    for (let i = errors.length - 1; i >= 0; i--) if (/Executing inline event handler violates .*Content Security Policy/.test(errors[i]!)) errors.splice(i, 1);
    await browser().screenshot('notebook-markdown');
  });

  it('lists the cluster workers with role and state in the cluster panel', async () => {
    const page = browser().page;
    await page.click('[data-action="toggle-cluster"]');
    const rows = page.locator('.cluster-panel .worker-row[data-worker]');
    await rows.first().waitFor({ timeout: 30_000 });
    const api = await fetch(`${backend().baseUrl}api/cluster?token=${backend().token}`).then((r) => r.json()) as { workers: { id: string; role: string; state: string }[] };
    expect(api.workers.length).toBeGreaterThan(0);
    for (const worker of api.workers) {
      const row = page.locator(`.cluster-panel .worker-row[data-worker="${worker.id}"]`);
      await expect.poll(() => row.locator('.worker-id').textContent()).toContain(worker.role);
      await expect.poll(() => row.locator('.state').textContent()).toMatch(/^(idle|busy|starting|draining)$/);
    }
    // The job summaries of the cells above are listed too, and the panel reports no error.
    await expect.poll(() => page.locator('.cluster-panel .job').count()).toBeGreaterThan(0);
    expect(await page.locator('.cluster-panel [role="alert"]').isHidden()).toBe(true);
    await browser().screenshot('notebook-cluster-panel');
    expect(unexpectedErrors(browser(), backend())).toEqual([]);
  });
});
