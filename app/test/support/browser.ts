import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { type Backend, REPO } from './backend.js';

export const ARTIFACTS = join(REPO, 'test-artifacts');
const CHROMIUM = process.env.QUIRE_CHROMIUM ?? '/usr/bin/chromium';

/** Debian's Chromium, headless, with a fresh profile; collects page errors so tests can assert none. */
export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  pageErrors: string[];
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function launchBrowser(): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'quire-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1440, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()} at ${message.location().url}`);
  });
  await mkdir(ARTIFACTS, { recursive: true });
  return {
    context,
    page,
    pageErrors,
    async screenshot(name) {
      const path = join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path, fullPage: false });
      return path;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Page errors a test should fail on. Debian's Jupyter Server has no Quire endpoints (cluster, backup,
 * history), so the UI's requests to those fail there by design and are not counted.
 */
export function unexpectedErrors(browser: TestBrowser, backend: Backend): string[] {
  if (backend.kind === 'quire') return browser.pageErrors;
  return browser.pageErrors.filter((message) => !/\/api\/(quire|cluster)\b|net::ERR_FAILED/.test(message));
}
