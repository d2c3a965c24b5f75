/**
 * `npm run bench:app [-- --cells N --lines N --runs N --idle-ms N]`: the UI bench of issue 5 (method in
 * bench/app/README.md). Refuses to run (exit 2) when app/dist is missing or older than the renderer sources,
 * so a table never describes a stale UI; prints a markdown table against the targets and exits 1 when a
 * target is missed.
 */
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { REPO } from '../../app/test/support/backend.js';
import { uiBuildReason } from '../../app/src/main/ui-build.js';
import { runAppBench } from './app-bench.js';
import { markdownTable, reportRows } from './report.js';

const USAGE = 'usage: npm run bench:app -- [--cells 200] [--lines 100000] [--runs 3] [--idle-ms 3000]';

function positive(name: string, text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`bench:app: --${name} must be a positive whole number, not '${text}'\n${USAGE}`);
    process.exit(2);
  }
  return value;
}

let values: Record<string, string | undefined>;
try {
  ({ values } = parseArgs({
    options: { cells: { type: 'string', default: '200' }, lines: { type: 'string', default: '100000' }, runs: { type: 'string', default: '3' }, 'idle-ms': { type: 'string', default: '3000' } },
  }) as { values: Record<string, string | undefined> });
} catch (error) {
  console.error(`bench:app: ${(error as Error).message}\n${USAGE}`);
  process.exit(2);
}

const appDir = join(REPO, 'app');
const staleUi = await uiBuildReason(appDir);
if (staleUi) {
  console.error(`bench:app: ${staleUi}: build it first (npm run build -w app)`);
  process.exit(2);
}

const result = await runAppBench({
  cells: positive('cells', values.cells!),
  streamLines: positive('lines', values.lines!),
  openRuns: positive('runs', values.runs!),
  idleMs: positive('idle-ms', values['idle-ms']!),
  log: (line) => console.error(`bench:app: ${line}`),
});
const rows = reportRows(result);
const total = result.streamedLines.shown + result.streamedLines.hidden;
console.log(markdownTable(rows));
console.log();
console.log(`Machine: ${cpus().length} cores, 1-minute load average ${result.load.before.toFixed(2)} before, ${result.load.after.toFixed(2)} after (now ${loadavg()[0]!.toFixed(2)}).`);
console.log(`Streamed cell: ${result.streamedLines.shown.toLocaleString('en')} lines shown + ${result.streamedLines.hidden.toLocaleString('en')} counted on "Show more" = ${total.toLocaleString('en')}. Screenshot: ${result.screenshot}`);
if (result.pageErrors.length > 0) console.log(`Page errors:\n${result.pageErrors.map((error) => `- ${error}`).join('\n')}`);
const problems = [
  ...(total !== result.options.streamLines ? [`the streamed cell accounts for ${total} lines, not ${result.options.streamLines}`] : []),
  ...(result.pageErrors.length > 0 ? [`${result.pageErrors.length} page errors`] : []),
  ...rows.filter((row) => row.pass === false).map((row) => `missed: ${row.metric}`),
];
for (const problem of problems) console.error(`bench:app: ${problem}`);
process.exitCode = problems.length > 0 ? 1 : 0;
