/**
 * Storage in a real browser: the file browser, tabs, the backup indicator (synced, pending, failing,
 * conflict and its resolutions), version history with diff and restore, and the shared S3 space (publish,
 * fork, open read-only, unpublish), against `quire serve` backing up to a real s3rver on 127.0.0.1.
 */
import { DeleteObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { Float64, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import { type S3Fixture, startS3rver } from '@quire/engine/testing';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Dialog, Request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unexpectedErrors } from './support/browser.js';
import { useNotebookApp } from './support/notebook-app.js';

const BACKUP = 'backup';
const SHARED = 'team';
/** Long enough that the indicator (polling each second or two) sees a save waiting to upload. */
const DEBOUNCE_MS = 4_000;
const SYNC_TIMEOUT = 30_000;

let s3: S3Fixture | undefined;

// Registered before the app's hooks, so the bucket is up before the backend starts and stops after it.
beforeAll(async () => {
  s3 = await startS3rver('notebooks');
});

afterAll(async () => {
  await s3?.stop();
});

const { backend, browser, notebook } = useNotebookApp({
  backend: () => ({
    backup: `s3://${s3!.bucket}/${BACKUP}`,
    shared: `s3://${s3!.bucket}/${SHARED}`,
    s3Env: s3!.env,
    author: 'Ada',
    backupTiming: { debounceMs: DEBOUNCE_MS, backoffMs: 300, maxBackoffMs: 1_000 },
    workers: 1,
  }),
  // Deleting asks for confirmation: say yes, as the person at the keyboard would.
  preparePage: (page) => void page.on('dialog', (dialog) => void dialog.accept()),
});

/** A notebook as someone else's machine would write it to S3. */
function notebookJson(source: string): string {
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'quire', display_name: 'Quire (TypeScript)', language: 'typescript' } },
    cells: [{ id: 'c1', cell_type: 'code', metadata: {}, source, execution_count: null, outputs: [] }],
  }, null, 1);
}

const SALES_SOURCE = '%%sql\nSELECT region, sum(amount) AS sales FROM orders GROUP BY region';

/**
 * A notebook as a colleague publishes it after running it: markdown, a result table (Arrow payload) with a bar
 * chart chosen in the cell's metadata, printed text, an error, and the publish stamp.
 */
function salesNotebookJson(): string {
  const table = new Table({ region: vectorFromArray(['north', 'south'], new Utf8()), sales: vectorFromArray([120, 80], new Float64()) });
  const arrow = Buffer.from(tableToIPC(table, 'file')).toString('base64');
  const html = '<table><tr><th>region</th><th>sales</th></tr><tr><td>north</td><td>120</td></tr><tr><td>south</td><td>80</td></tr></table>';
  return JSON.stringify({
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'quire', display_name: 'Quire (TypeScript)', language: 'typescript' }, quire: { published: { author: 'Bob', at: '2026-03-02T09:30:00.000Z', from: 'sales.ipynb' } } },
    cells: [
      { id: 'md', cell_type: 'markdown', metadata: {}, source: '# Weekly sales\n\nNorth is **up**.' },
      {
        id: 'sql', cell_type: 'code', execution_count: 3, source: SALES_SOURCE,
        metadata: { quire: { charts: { '1': { kind: 'bar', x: 'region', y: 'sales', color: null, aggregate: 'sum' } } } },
        outputs: [
          { output_type: 'stream', name: 'stdout', text: 'loaded 2 rows\n' },
          { output_type: 'execute_result', execution_count: 3, data: { 'text/html': html, 'text/plain': 'region sales', 'application/vnd.apache.arrow.file': arrow }, metadata: { 'application/vnd.apache.arrow.file': { rowCount: 2 } } },
        ],
      },
      { id: 'err', cell_type: 'code', execution_count: 4, source: 'sales.first()', metadata: {}, outputs: [{ output_type: 'error', ename: 'TypeError', evalue: 'boom', traceback: ['TypeError: boom'] }] },
    ],
  }, null, 1);
}

type NotebookFile = { cells: { source: string | string[] }[]; metadata: Record<string, any> };

const sources = (json: NotebookFile) => json.cells.map((cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source));

async function onDisk(path: string): Promise<NotebookFile> {
  return JSON.parse(await readFile(join(backend().root, path), 'utf8')) as NotebookFile;
}

/** The notebook at an S3 key, or undefined while there is none. */
async function inS3(key: string): Promise<NotebookFile | undefined> {
  if (!(await s3!.keys(key)).includes(key)) return undefined;
  return JSON.parse(await s3!.text(key)) as NotebookFile;
}

/** Writes an object as another machine or person would. */
async function putS3(key: string, body: string): Promise<void> {
  await s3!.client.send(new PutObjectCommand({ Bucket: s3!.bucket, Key: key, Body: body, ContentType: 'application/x-ipynb+json' }));
}

const row = (path: string) => browser().page.locator(`.file-item[data-path="${path}"]`);
const sharedRow = (path: string) => browser().page.locator(`.file-item[data-shared-path="${path}"]`);

/** The notebook paths the server has kernel sessions for. */
async function sessionPaths(): Promise<string[]> {
  const response = await fetch(`${backend().baseUrl}api/sessions`, { headers: { Authorization: `token ${backend().token}` } });
  expect(response.status).toBe(200);
  return ((await response.json()) as Array<{ path: string }>).map((session) => session.path).sort();
}

/** Row actions show on hover, as they do for a mouse user. */
async function rowAction(path: string, action: string): Promise<void> {
  await row(path).hover();
  await row(path).locator(`[data-action="${action}"]`).click();
}

/** The source shown in the active notebook's first cell editor. */
async function editorText(index = 0): Promise<string> {
  return ((await notebook().cell(index).locator('.view-lines').innerText()) ?? '').replace(/\u00a0/g, ' ');
}

/** No page errors; when there are some, the server's output says what went wrong on its side. */
function expectNoPageErrors(): void {
  const errors = unexpectedErrors(browser(), backend());
  // Each test answers for its own errors.
  browser().pageErrors.length = 0;
  expect(errors, errors.length ? `server output:\n${backend().output()}` : undefined).toEqual([]);
}

const activeTab = () => browser().page.locator('.tab[aria-selected="true"]').getAttribute('data-path');
const badge = () => browser().page.locator('.notebook-panel .backup-status');
const badgeState = () => badge().getAttribute('data-state');

async function editAndSave(source: string): Promise<void> {
  await notebook().setSource(0, source);
  await notebook().save();
}

/** Creates a notebook from the file browser and waits for its tab and kernel; returns its path. */
async function createNotebook(): Promise<string> {
  const page = browser().page;
  const tabs = await page.locator('.tab').count();
  await page.click('[data-action="new-notebook"]');
  await expect.poll(() => page.locator('.tab').count()).toBe(tabs + 1);
  await notebook().waitKernelIdle();
  return (await activeTab())!;
}

async function activate(path: string): Promise<void> {
  await browser().page.locator(`.tab[data-path="${path}"]`).click();
  await expect.poll(activeTab).toBe(path);
}

// Each test waits out several backup debounces and starts kernels on a shared two-core machine.
describe('storage in a real browser', { timeout: 180_000 }, () => {
  it('creates, renames and deletes notebooks in the file browser, and switches between them in tabs', async () => {
    const page = browser().page;
    const untitled = await createNotebook();
    expect(untitled).toBe('Untitled.ipynb');
    expect(existsSync(join(backend().root, untitled))).toBe(true);
    await editAndSave('const first = 1');

    // Typed without the extension, as people do: it stays a notebook().
    await rowAction(untitled, 'rename');
    await page.locator('.file-browser .rename-input').fill('first');
    await page.keyboard.press('Enter');
    await row('first.ipynb').waitFor();
    expect(existsSync(join(backend().root, 'first.ipynb'))).toBe(true);
    expect(existsSync(join(backend().root, untitled))).toBe(false);
    expect(sources(await onDisk('first.ipynb'))).toEqual(['const first = 1']);
    await expect.poll(activeTab).toBe('first.ipynb');
    expect(await page.locator('.tab[aria-selected="true"] .tab-title').textContent()).toBe('first');
    await expect.poll(() => page.locator('.file-browser .file-error').isHidden()).toBe(true);
    // Under its new name the notebook is backed up without another save.
    await expect.poll(async () => (await inS3(`${BACKUP}/first.ipynb`))?.cells.length, { timeout: SYNC_TIMEOUT }).toBe(1);
    expect(sources((await inS3(`${BACKUP}/first.ipynb`))!)).toEqual(['const first = 1']);
    await expect.poll(badgeState, { timeout: SYNC_TIMEOUT }).toBe('synced');

    const second = await createNotebook();
    await editAndSave('const second = 2');
    await rowAction(second, 'rename');
    await page.locator('.file-browser .rename-input').fill('second.ipynb');
    await page.keyboard.press('Enter');
    await row('second.ipynb').waitFor();
    const third = await createNotebook();
    await editAndSave('const third = 3');
    expect(await page.locator('.tab').count()).toBe(3);

    await activate('first.ipynb');
    await expect.poll(() => editorText()).toBe('const first = 1');
    await activate('second.ipynb');
    await expect.poll(() => editorText()).toBe('const second = 2');
    await page.locator('.file-item[data-path="first.ipynb"] .file-name').click();
    await expect.poll(activeTab).toBe('first.ipynb');
    await expect.poll(() => editorText()).toBe('const first = 1');
    await browser().screenshot('storage-files-tabs');

    await rowAction(third, 'delete');
    await expect.poll(() => existsSync(join(backend().root, third))).toBe(false);
    await expect.poll(() => row(third).count()).toBe(0);
    await expect.poll(() => page.locator(`.tab[data-path="${third}"]`).count()).toBe(0);
    expect(await page.locator('.tab').count()).toBe(2);
    expectNoPageErrors();
  });

  it('shows the backup state: pending, synced once S3 has the save, failing while S3 is down, synced again after', async () => {
    await activate('first.ipynb');
    await editAndSave('const backedUp = 1');
    // The save waits out the debounce before it uploads: the indicator shows it waiting.
    await expect.poll(badgeState, { timeout: DEBOUNCE_MS }).toBe('pending');
    expect(await badge().textContent()).toBe('Backup pending');
    await expect.poll(badgeState, { timeout: SYNC_TIMEOUT }).toBe('synced');
    expect(await badge().textContent()).toBe('Backed up');
    expect(sources((await inS3(`${BACKUP}/first.ipynb`))!)).toEqual(['const backedUp = 1']);

    await s3!.pause();
    try {
      await editAndSave('const whileS3IsDown = 2');
      await expect.poll(badgeState, { timeout: SYNC_TIMEOUT }).toBe('failing');
      expect(await badge().textContent()).toBe('Backup failing');
      expect(await badge().getAttribute('title')).toMatch(/\S/);
      await browser().screenshot('storage-backup-failing');
    } finally {
      await s3!.resume();
    }
    await expect.poll(badgeState, { timeout: SYNC_TIMEOUT }).toBe('synced');
    expect(sources((await inS3(`${BACKUP}/first.ipynb`))!)).toEqual(['const whileS3IsDown = 2']);
  });

  it('reports a conflict when the copy on S3 was changed elsewhere, and resolves it either way', async () => {
    const page = browser().page;
    await activate('first.ipynb');
    // Another machine backing up to the same place writes a newer version.
    await putS3(`${BACKUP}/first.ipynb`, notebookJson('const fromTheirMachine = 1'));
    await editAndSave('const fromMine = 1');
    await expect.poll(badgeState, { timeout: SYNC_TIMEOUT }).toBe('conflict');
    expect(await badge().getAttribute('title')).toContain('changed elsewhere');
    const conflictCopies = async () => (await s3!.keys(`${BACKUP}/`)).filter((key) => key.includes('.conflict-'));
    expect(await conflictCopies()).toHaveLength(1);
    // Nothing of theirs was overwritten.
    expect(sources((await inS3(`${BACKUP}/first.ipynb`))!)).toEqual(['const fromTheirMachine = 1']);
    await page.locator('[data-action="backup-keep-theirs"]').waitFor();
    await browser().screenshot('storage-backup-conflict');

    await page.click('[data-action="backup-keep-theirs"]');
    await expect.poll(() => editorText(), { timeout: SYNC_TIMEOUT }).toBe('const fromTheirMachine = 1');
    expect(sources(await onDisk('first.ipynb'))).toEqual(['const fromTheirMachine = 1']);
    await expect.poll(badgeState, { timeout: SYNC_TIMEOUT }).toBe('synced');
    expect(await page.locator('[data-action="backup-keep-theirs"]').isHidden()).toBe(true);

    // Again, and this time this machine's notebook wins.
    await notebook().waitKernelIdle();
    await putS3(`${BACKUP}/first.ipynb`, notebookJson('const fromTheirMachineAgain = 2'));
    await editAndSave('const mineWins = 2');
    await expect.poll(badgeState, { timeout: SYNC_TIMEOUT }).toBe('conflict');
    await page.click('[data-action="backup-keep-ours"]');
    await expect.poll(badgeState, { timeout: SYNC_TIMEOUT }).toBe('synced');
    expect(sources((await inS3(`${BACKUP}/first.ipynb`))!)).toEqual(['const mineWins = 2']);
    expect(await editorText()).toBe('const mineWins = 2');
    expect(await conflictCopies()).toHaveLength(1);
    expectNoPageErrors();
  });

  it('lists saved versions, diffs two of them line by line, and restores one into the editor and the file', async () => {
    const page = browser().page;
    await activate('second.ipynb');
    for (const value of [10, 20, 30]) await editAndSave(`const v = ${value};\nconsole.log(v);`);
    await expect.poll(async () => sources((await inS3(`${BACKUP}/second.ipynb`))!), { timeout: SYNC_TIMEOUT }).toEqual(['const v = 30;\nconsole.log(v);']);
    await expect.poll(badgeState, { timeout: SYNC_TIMEOUT }).toBe('synced');

    await page.click('[data-action="toggle-history"]');
    const items = page.locator('.history-panel .history-item');
    // The three saves, and the version backed up when the notebook got its name.
    await expect.poll(() => items.count()).toBe(4);
    // Newest first: picking it shows what its save changed against the one before.
    await items.first().click();
    const diff = page.locator('.history-panel pre.diff');
    await expect.poll(() => diff.locator('.diff-removed').allTextContents()).toEqual(['− const v = 20;']);
    expect(await diff.locator('.diff-added').allTextContents()).toEqual(['+ const v = 30;']);
    expect(await diff.locator('.diff-same').allTextContents()).toContain('  console.log(v);');

    const firstSave = items.nth(2);
    await page.locator('.history-panel select.history-compare').selectOption((await firstSave.getAttribute('data-version'))!);
    await expect.poll(() => diff.locator('.diff-removed').allTextContents()).toEqual(['− const v = 10;']);
    await browser().screenshot('storage-history-diff');

    await firstSave.click();
    await expect.poll(() => firstSave.getAttribute('aria-selected')).toBe('true');
    await page.click('.history-panel [data-action="restore-version"]');
    await expect.poll(() => editorText(), { timeout: SYNC_TIMEOUT }).toBe('const v = 10;\nconsole.log(v);');
    expect(sources(await onDisk('second.ipynb'))).toEqual(['const v = 10;\nconsole.log(v);']);
    // The content it replaced became a version, so the restore can be undone.
    await expect.poll(() => page.locator('.history-panel .history-item').count(), { timeout: SYNC_TIMEOUT }).toBeGreaterThanOrEqual(5);
    await page.click('[data-action="toggle-history"]');
    expectNoPageErrors();
  });

  it('publishes a local notebook to the shared space, lists it there, and forks shared notebooks into local ones', async () => {
    const page = browser().page;
    await rowAction('second.ipynb', 'publish');
    await expect.poll(() => page.locator('.file-browser .file-notice').textContent()).toContain('Published second.ipynb');
    const published = await inS3(`${SHARED}/second.ipynb`);
    expect(sources(published!)).toEqual(['const v = 10;\nconsole.log(v);']);
    expect(published!.metadata.quire.published.author).toBe('Ada');

    // Someone else published one too.
    await putS3(`${SHARED}/reports/weekly.ipynb`, notebookJson('const weekly = "from Bob";'));
    await page.click('.file-browser [data-root="shared"]');
    await sharedRow('second.ipynb').waitFor();
    await sharedRow('reports/weekly.ipynb').waitFor();
    expect(await page.locator('.file-browser .file-path').first().textContent()).toBe(`s3://${s3!.bucket}/${SHARED}`);
    await browser().screenshot('storage-shared-list');

    await sharedRow('reports/weekly.ipynb').hover();
    await sharedRow('reports/weekly.ipynb').locator('[data-action="fork"]').click();
    await expect.poll(activeTab, { timeout: SYNC_TIMEOUT }).toBe('weekly.ipynb');
    await expect.poll(() => editorText()).toBe('const weekly = "from Bob";');
    const forked = await onDisk('weekly.ipynb');
    expect(forked.metadata.quire.forkedFrom.shared).toBe('reports/weekly.ipynb');
    await notebook().waitKernelIdle();

    // Forking what is already a local notebook's name makes a new one beside it.
    await sharedRow('second.ipynb').hover();
    await sharedRow('second.ipynb').locator('[data-action="fork"]').click();
    await expect.poll(activeTab, { timeout: SYNC_TIMEOUT }).toBe('second-fork.ipynb');
    expect(sources(await onDisk('second-fork.ipynb'))).toEqual(['const v = 10;\nconsole.log(v);']);
    await notebook().waitKernelIdle();

    await page.click('.file-browser [data-root="local"]');
    await row('weekly.ipynb').waitFor();
    await row('second-fork.ipynb').waitFor();
    await browser().screenshot('storage-shared-forked');
    expectNoPageErrors();
  });

  it('opens a shared notebook read-only with its outputs and no kernel, forks it to edit, and unpublishes it', async () => {
    const page = browser().page;
    const dialogs: string[] = [];
    const recordDialog = (dialog: Dialog) => void dialogs.push(dialog.message());
    page.on('dialog', recordDialog);
    // Every kernel session the page asks for: the server would start one for any path, even one not on disk.
    const sessionsAskedFor: string[] = [];
    const recordSession = (request: Request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname.endsWith('/api/sessions')) sessionsAskedFor.push((request.postDataJSON() as { path: string }).path);
    };
    page.on('request', recordSession);
    await putS3(`${SHARED}/reports/sales.ipynb`, salesNotebookJson());
    const sharedCopy = await s3!.text(`${SHARED}/reports/sales.ipynb`);
    const sessionsBefore = await sessionPaths();
    const key = 'shared://reports/sales.ipynb';
    const tab = page.locator(`.tab[data-path="${key}"]`);

    await page.click('.file-browser [data-root="shared"]');
    await sharedRow('reports/sales.ipynb').locator('.file-name').click();
    await expect.poll(activeTab).toBe(key);
    expect(await tab.getAttribute('data-space')).toBe('shared');
    // Every cell, with its saved outputs drawn as for a local notebook.
    await expect.poll(() => notebook().cells().count()).toBe(3);
    expect(await notebook().cell(0).locator('.rendered-markdown h1').textContent()).toBe('Weekly sales');
    expect(await notebook().cell(0).locator('.rendered-markdown strong').textContent()).toBe('up');
    await expect.poll(() => notebook().sourceOnScreen(1)).toBe(SALES_SOURCE);
    expect(await notebook().executionCount(1)).toBe(3);
    expect(await notebook().cell(1).locator('.output[data-output-type="stream"]').textContent()).toContain('loaded 2 rows');
    await expect.poll(() => notebook().cell(1).locator('.chart-host svg g.mark-rect path').count(), { timeout: 30_000 }).toBe(2);
    expect(await notebook().cell(1).locator('[data-kind="bar"]').getAttribute('aria-selected')).toBe('true');
    expect(await notebook().cell(2).locator('.output[data-output-type="error"]').textContent()).toMatch(/TypeError.*boom/);
    // Marked as shared and read-only, with where it lives and who published it.
    const panel = page.locator('.notebook-panel');
    expect(await panel.getAttribute('class')).toContain('read-only');
    expect(await panel.locator('.shared-status').textContent()).toBe('Shared · read-only');
    expect(await panel.locator('.shared-location').textContent()).toBe(`s3://${s3!.bucket}/${SHARED}/reports/sales.ipynb`);
    expect(await panel.locator('.shared-published').textContent()).toContain('published by Bob');
    // Nothing to run, insert, save, nor a kernel to watch.
    for (const action of ['run', 'run-all', 'interrupt', 'restart', 'add-code', 'add-markdown', 'save']) {
      expect(await panel.locator(`[data-action="${action}"]`).count(), action).toBe(0);
    }
    expect(await panel.locator('.kernel-status').count()).toBe(0);
    expect(await panel.locator('.drag-handle').count()).toBe(0);

    // Typing into a cell, command-mode keys that change a notebook, a double click on markdown, Ctrl+S: nothing changes.
    await notebook().cell(1).locator('.cell-input').click();
    await notebook().cell(1).locator('.monaco-editor.focused').waitFor();
    await page.keyboard.type('xyz');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+Enter');
    await page.keyboard.press('Escape');
    for (const key of ['d', 'd', 'b', 'a', 'm', 'Shift+Enter', 'Control+s']) await page.keyboard.press(key);
    await notebook().cell(0).locator('.rendered-markdown').dblclick();
    expect(await notebook().sourceOnScreen(1)).toBe(SALES_SOURCE);
    expect(await notebook().cells().count()).toBe(3);
    expect(await notebook().cell(0).locator('.rendered-markdown h1').count()).toBe(1);
    expect(await notebook().executionCount(1)).toBe(3);
    expect(await tab.locator('.tab-dirty').count()).toBe(0);
    expect(await s3!.text(`${SHARED}/reports/sales.ipynb`)).toBe(sharedCopy);
    // No kernel session was asked for.
    expect(sessionsAskedFor).toEqual([]);
    expect(await sessionPaths()).toEqual(sessionsBefore);
    await browser().screenshot('storage-shared-read-only');

    // Opening it again shows the same tab; the shared second.ipynb is a tab of its own beside the local one.
    const tabs = await page.locator('.tab').count();
    await activate('first.ipynb');
    await sharedRow('reports/sales.ipynb').locator('.file-name').click();
    await expect.poll(activeTab).toBe(key);
    expect(await page.locator('.tab').count()).toBe(tabs);
    await sharedRow('second.ipynb').locator('.file-name').click();
    await expect.poll(activeTab).toBe('shared://second.ipynb');
    expect(await page.locator('.tab[data-path="second.ipynb"]').count()).toBe(1);
    expect(await page.locator('.tab').count()).toBe(tabs + 1);
    await page.locator('.tab[data-path="shared://second.ipynb"] .tab-close').click();
    expect(sessionsAskedFor).toEqual([]);

    // Fork to edit opens a local copy that runs and edits as any local notebook.
    await activate(key);
    await page.click('.notebook-panel [data-action="fork-shared"]');
    await expect.poll(activeTab, { timeout: SYNC_TIMEOUT }).toBe('sales.ipynb');
    expect((await onDisk('sales.ipynb')).metadata.quire.forkedFrom.shared).toBe('reports/sales.ipynb');
    expect(await page.locator('.notebook-panel').getAttribute('class')).not.toContain('read-only');
    await notebook().waitKernelIdle();
    await expect.poll(() => notebook().sourceOnScreen(1)).toBe(SALES_SOURCE);
    expect(await page.locator('.file-browser .file-notice').textContent()).toContain('Forked reports/sales.ipynb into sales.ipynb');
    expect(await tab.count()).toBe(1);

    // A notebook someone removed meanwhile says so where it was clicked, and leaves the list.
    await s3!.client.send(new DeleteObjectCommand({ Bucket: s3!.bucket, Key: `${SHARED}/reports/weekly.ipynb` }));
    await sharedRow('reports/weekly.ipynb').locator('.file-name').click();
    await expect.poll(() => page.locator('.file-browser .file-error').textContent()).toContain('Could not open the shared notebook reports/weekly.ipynb');
    expect(await page.locator('.file-browser .file-error').textContent()).toContain('no shared notebook reports/weekly.ipynb');
    await expect.poll(() => sharedRow('reports/weekly.ipynb').count()).toBe(0);

    // Unpublishing asks first, removes it for everyone, keeps the copy under .history/ and closes its read-only tab.
    await sharedRow('reports/sales.ipynb').hover();
    await sharedRow('reports/sales.ipynb').locator('[data-action="unpublish"]').click();
    await expect.poll(() => sharedRow('reports/sales.ipynb').count()).toBe(0);
    expect(dialogs.filter((message) => message.startsWith('Unpublish reports/sales.ipynb?'))).toHaveLength(1);
    expect(await page.locator('.file-browser .file-notice').textContent()).toContain('Unpublished reports/sales.ipynb');
    expect(await s3!.keys(`${SHARED}/reports/sales.ipynb`)).toEqual([]);
    const kept = await s3!.keys(`${SHARED}/.history/reports/sales.ipynb/`);
    expect(kept).toHaveLength(1);
    expect(await s3!.text(kept[0]!)).toBe(sharedCopy);
    await expect.poll(() => tab.count()).toBe(0);
    expect(await page.locator('.tab[data-path="sales.ipynb"]').count()).toBe(1);
    await sharedRow('second.ipynb').waitFor();
    await browser().screenshot('storage-shared-unpublished');
    // The fork's kernel is the only one started here, and none runs for a shared notebook.
    expect(sessionsAskedFor).toEqual(['sales.ipynb']);
    expect((await sessionPaths()).filter((path) => path.startsWith('reports/'))).toEqual([]);
    page.off('request', recordSession);
    page.off('dialog', recordDialog);
    expectNoPageErrors();
  });
});
