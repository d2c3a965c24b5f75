/**
 * `npx tsx bench/app/cold-open.ts [--cells 200] [--runs 3]`: the open of the bench (`open-measure.ts`, same
 * three conditions of "interactive"), but each open in a browser with a fresh profile, so nothing is in its
 * HTTP cache or V8's code cache: the first open after the app is installed or updated. The bench's own opens
 * are reopenings, where Chromium reuses the compiled code of the app's scripts and their size hardly counts.
 * The kernels are warmed up first, as in the bench, so the server side is the same as there.
 */
import { writeFile } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startBackend } from '../../app/test/support/backend.js';
import { launchBrowser } from '../../app/test/support/browser.js';
import { type BenchNotebook, benchNotebook } from './bench-notebook.js';
import { appendCodeCell, waitForCellRun } from './notebook-actions.js';
import { type OpenTiming, measureOpen } from './open-measure.js';
import { waitForRenderedNotebook } from './page-probes.js';

const TIMEOUT_MS = 120_000;
const { values } = parseArgs({ options: { cells: { type: 'string', default: '200' }, runs: { type: 'string', default: '3' } } });
const cells = Number(values.cells);
const runs = Number(values.runs);
if (!Number.isInteger(cells) || cells < 1 || !Number.isInteger(runs) || runs < 1) throw new Error(`--cells and --runs must be positive whole numbers, not ${values.cells} and ${values.runs}`);

const loadBefore = loadavg()[0]!;
const bench = await benchNotebook(cells);
const reference = await benchNotebook(1);
const backend = await startBackend();
try {
  await writeFile(join(backend.root, 'bench.ipynb'), JSON.stringify(bench.json));
  await writeFile(join(backend.root, 'reference.ipynb'), JSON.stringify(reference.json));
  const urlOf = (path: string) => `${backend.uiUrl}&open=${encodeURIComponent(path)}`;

  /** Opens `path` in a browser of its own, fresh profile; `warm` also runs a scratch cell to warm its kernel up. */
  const openFresh = async (path: string, notebook: BenchNotebook, warm: boolean): Promise<OpenTiming> => {
    const browser = await launchBrowser();
    try {
      browser.page.on('dialog', (dialog) => void dialog.accept());
      const open = await measureOpen(browser.page, urlOf(path), notebook, TIMEOUT_MS);
      if (warm) {
        await waitForRenderedNotebook(browser.page, notebook.outputsPerCell, TIMEOUT_MS);
        const scratch = await appendCodeCell(browser.page, '1 + 1');
        await browser.page.keyboard.press('Control+Enter');
        await waitForCellRun(browser.page, scratch, TIMEOUT_MS);
      }
      if (browser.pageErrors.length > 0) throw new Error(`the page logged errors: ${browser.pageErrors.join('; ')}`);
      return open;
    } finally {
      await browser.close();
    }
  };

  console.error('cold-open: warming up both kernels');
  await openFresh('reference.ipynb', reference, true);
  await openFresh('bench.ipynb', bench, true);
  const benchOpens: OpenTiming[] = [];
  const referenceOpens: OpenTiming[] = [];
  for (let run = 1; run <= runs; run++) {
    referenceOpens.push(await openFresh('reference.ipynb', reference, false));
    benchOpens.push(await openFresh('bench.ipynb', bench, false));
    console.error(`cold-open: run ${run}: ${cells} cells interactive in ${Math.round(benchOpens.at(-1)!.interactiveMs)} ms, 1 cell in ${Math.round(referenceOpens.at(-1)!.interactiveMs)} ms`);
  }
  const row = (what: string, pick: (open: OpenTiming) => number) => {
    const all = (opens: OpenTiming[]) => opens.map((open) => Math.round(pick(open)));
    return `| ${what} | ${median(all(benchOpens))} ms (runs ${all(benchOpens).join(', ')}) | ${median(all(referenceOpens))} ms (runs ${all(referenceOpens).join(', ')}) |`;
  };
  console.log(`| fresh browser profile, median of ${runs} | ${cells}-cell notebook | 1-cell notebook |`);
  console.log('| --- | --- | --- |');
  console.log(row('navigation → interactive', (open) => open.interactiveMs));
  console.log(row('navigation → all cells and outputs rendered, kernel idle', (open) => open.renderedMs));
  console.log(`\nMachine: 1-minute load average ${loadBefore.toFixed(2)} before, ${loadavg()[0]!.toFixed(2)} after.`);
} finally {
  await backend.stop();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : Math.round((sorted[middle - 1]! + sorted[middle]!) / 2);
}
