import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, startBackend } from './support/backend.js';
import { type TestBrowser, launchBrowser, unexpectedErrors } from './support/browser.js';
import { NotebookPage } from './support/notebook-page.js';

let backend: Backend;
let browser: TestBrowser;
let notebook: NotebookPage;

beforeAll(async () => {
  backend = await startBackend();
  browser = await launchBrowser();
  notebook = new NotebookPage(browser.page);
});

afterAll(async () => {
  await browser?.close();
  await backend?.stop();
});

describe('smoke', () => {
  it('creates a notebook and runs a TypeScript cell', async () => {
    await notebook.open(backend.uiUrl);
    await notebook.createNotebook();
    await notebook.setSource(0, 'const greeting: string = "hello";\nconsole.log(greeting + " quire")');
    await notebook.run(0);
    await expect.poll(() => notebook.cell(0).locator('.stream-text').textContent()).toContain('hello quire');
    await browser.screenshot('smoke');
    expect(unexpectedErrors(browser, backend)).toEqual([]);
  });
});
