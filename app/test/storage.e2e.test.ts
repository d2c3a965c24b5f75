/**
 * Storage in a real browser: the file browser, tabs, the backup indicator (synced, pending, failing,
 * conflict and its resolutions), version history with diff and restore, and the shared S3 space, against
 * `quire serve` backing up to a real s3rver on 127.0.0.1.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { type S3Fixture, startS3rver } from '@quire/engine/testing';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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
    const sharedRow = (path: string) => page.locator(`.file-item[data-shared-path="${path}"]`);
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
});
