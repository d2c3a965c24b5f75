import { describe, expect, it } from 'vitest';
import { unexpectedErrors } from './support/browser.js';
import { useNotebookApp } from './support/notebook-app.js';

const { backend, browser, notebook } = useNotebookApp({ open: false });

describe('smoke', () => {
  it('creates a notebook and runs a TypeScript cell', async () => {
    await notebook().open(backend().uiUrl);
    await notebook().createNotebook();
    await notebook().setSource(0, 'const greeting: string = "hello";\nconsole.log(greeting + " quire")');
    await notebook().run(0);
    await expect.poll(() => notebook().cell(0).locator('.stream-text').textContent()).toContain('hello quire');
    await browser().screenshot('smoke');
    expect(unexpectedErrors(browser(), backend())).toEqual([]);
  });
});
