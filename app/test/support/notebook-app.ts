import type { Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type Backend, type BackendOptions, startBackend } from './backend.js';
import { type TestBrowser, launchBrowser } from './browser.js';
import { NotebookPage } from './notebook-page.js';

export interface NotebookAppOptions {
  /** How to start the backend; a function when the options depend on something started in an earlier hook. */
  backend?: BackendOptions | (() => BackendOptions);
  /** Open the UI in the page before the tests (default true). */
  open?: boolean;
  /** Also create a notebook before the tests; its path is `notebookPath()`. */
  createNotebook?: boolean;
  /** Called with the page before the UI is opened, e.g. to answer dialogs. */
  preparePage?: (page: Page) => void | Promise<void>;
  /** Time allowed for the whole set-up (vitest's hookTimeout otherwise). */
  setupTimeout?: number;
}

/** The running app of one e2e file; each getter throws if the set-up has not got that far. */
export interface NotebookApp {
  backend(): Backend;
  browser(): TestBrowser;
  page(): Page;
  notebook(): NotebookPage;
  /** The notebook created by the set-up (`createNotebook: true`). */
  notebookPath(): string;
}

/**
 * Starts a real backend and Chromium for the tests of the calling file (registering its beforeAll and afterAll),
 * opens the UI and, if asked, a notebook. Teardown closes the browser before stopping the backend, so the page
 * never sees its server vanish; hooks the file registers before this one run their afterAll after it.
 */
export function useNotebookApp(options: NotebookAppOptions = {}): NotebookApp {
  let backend: Backend | undefined;
  let browser: TestBrowser | undefined;
  let notebook: NotebookPage | undefined;
  let notebookPath: string | undefined;

  beforeAll(async () => {
    const backendOptions = typeof options.backend === 'function' ? options.backend() : options.backend;
    backend = await startBackend(backendOptions);
    browser = await launchBrowser();
    await options.preparePage?.(browser.page);
    notebook = new NotebookPage(browser.page);
    if (options.open ?? true) await notebook.open(backend.uiUrl);
    if (options.createNotebook) notebookPath = await notebook.createNotebook();
  }, options.setupTimeout);

  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the e2e set-up has not ${what} (did its beforeAll fail?)`);
    return value;
  };
  return {
    backend: () => ready(backend, 'started the backend'),
    browser: () => ready(browser, 'launched the browser'),
    page: () => ready(browser, 'launched the browser').page,
    notebook: () => ready(notebook, 'opened the page'),
    notebookPath: () => ready(notebookPath, options.createNotebook ? 'created the notebook' : 'been asked to create a notebook (createNotebook: true)'),
  };
}
