/**
 * `npx tsx bench/app/trace.ts open|stream [--cells 200] [--lines 100000]`: where the time of one bench
 * measurement goes. Opens the bench notebook as the bench does (kernel warmed up by a scratch cell), then
 * repeats the open, or streams, with Chromium's timeline tracing and the V8 sampling profiler on (CDP), and
 * prints every main-thread task over --min-task-ms (50) with its time split by trace event (script, style, layout,
 * paint, GC) and the JavaScript functions with the most self time in it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { CDPSession } from 'playwright-core';
import { startBackend } from '../../app/test/support/backend.js';
import { launchBrowser } from '../../app/test/support/browser.js';
import { benchNotebook } from './bench-notebook.js';
import { appendCodeCell, waitForCellRun } from './notebook-actions.js';
import { measureOpen } from './open-measure.js';
import { measureStream } from './stream-measure.js';
import { waitForRenderedNotebook } from './page-probes.js';

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: Record<string, unknown> }
interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }

const { values, positionals } = parseArgs({ allowPositionals: true, options: { cells: { type: 'string', default: '200' }, lines: { type: 'string', default: '100000' }, 'min-task-ms': { type: 'string', default: '50' } } });
const minTaskUs = Number(values['min-task-ms']) * 1000;
const what = positionals[0];
if (what !== 'open' && what !== 'stream') throw new Error(`trace what: 'open' or 'stream', not ${what ?? 'nothing'}`);
const cells = Number(values.cells);
const lines = Number(values.lines);
if (!Number.isInteger(cells) || cells < 1 || !Number.isInteger(lines) || lines < 1) throw new Error(`--cells and --lines must be positive whole numbers, not ${values.cells} and ${values.lines}`);

const notebook = await benchNotebook(cells);
const backend = await startBackend();
const browser = await launchBrowser();
try {
  const page = browser.page;
  page.on('dialog', (dialog) => void dialog.accept());
  await writeFile(join(backend.root, 'bench.ipynb'), JSON.stringify(notebook.json));
  const url = `${backend.uiUrl}&open=bench.ipynb`;
  await page.goto(url);
  await waitForRenderedNotebook(page, notebook.outputsPerCell, 120_000);
  const scratch = await appendCodeCell(page, '1 + 1');
  await page.keyboard.press('Control+Enter');
  await waitForCellRun(page, scratch, 120_000);
  if (what === 'open') await page.goto('about:blank');
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8', transferMode: 'ReportEvents' });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  if (what === 'open') {
    const open = await measureOpen(page, url, notebook, 120_000);
    console.log(`open of ${cells} cells: rendered in ${Math.round(open.renderedMs)} ms, interactive in ${Math.round(open.interactiveMs)} ms`);
  } else {
    const run = await measureStream(page, lines, 600_000);
    console.log(`stream of ${lines} lines: ${Math.round(run.runMs)} ms, ${run.record.frameDeltas.length} frames, longest ${Math.round(Math.max(...run.record.frameDeltas))} ms`);
  }
  const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
  await stopTracing(cdp);
  printLongTasks(events, profile);
} finally {
  await browser.close();
  await backend.stop();
}

async function stopTracing(cdp: CDPSession): Promise<void> {
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.end');
  await complete;
}

function printLongTasks(events: TraceEvent[], profile: Profile): void {
  const mainThread = events.find((event) => event.name === 'thread_name' && event.args?.name === 'CrRendererMain');
  if (!mainThread) throw new Error('the trace has no renderer main thread');
  const onMain = events.filter((event) => event.pid === mainThread.pid && event.tid === mainThread.tid && event.ph === 'X' && event.dur !== undefined);
  const tasks = onMain.filter((event) => event.name === 'RunTask' && event.dur! > minTaskUs);
  const samples = sampleTimes(profile);
  for (const task of tasks) {
    const end = task.ts + task.dur!;
    const inside = onMain.filter((event) => event !== task && event.ts >= task.ts && event.ts < end);
    const byName = new Map<string, number>();
    for (const event of inside) byName.set(event.name, (byName.get(event.name) ?? 0) + event.dur!);
    const top = [...byName].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, us]) => `${name} ${(us / 1000).toFixed(1)}`);
    const selfTime = new Map<string, number>();
    for (const { ts, node, weight } of samples) {
      if (ts < task.ts || ts >= end) continue;
      const frame = node.callFrame;
      const key = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').pop()}:${frame.lineNumber + 1}`;
      selfTime.set(key, (selfTime.get(key) ?? 0) + weight);
    }
    const functions = [...selfTime].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, us]) => `    ${(us / 1000).toFixed(1)} ms  ${name}`);
    console.log(`\nat ${((task.ts - tasks[0]!.ts) / 1000).toFixed(0)} ms, task of ${(task.dur! / 1000).toFixed(1)} ms: ${top.join(', ')}\n${functions.join('\n')}`);
  }
  if (tasks.length === 0) console.log(`no main-thread task over ${minTaskUs / 1000} ms`);
}

/** The profiler's samples on the trace clock (both are microseconds of the same monotonic clock). */
function sampleTimes(profile: Profile): { ts: number; node: ProfileNode; weight: number }[] {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const result: { ts: number; node: ProfileNode; weight: number }[] = [];
  let ts = profile.startTime;
  for (let i = 0; i < profile.samples.length; i++) {
    ts += profile.timeDeltas[i]!;
    const weight = profile.timeDeltas[i + 1] ?? 0;
    result.push({ ts, node: nodes.get(profile.samples[i]!)!, weight });
  }
  return result;
}
