/** The app bench's result as a markdown table against issue 5's targets, with same-run references. */
import type { AppBenchResult } from './app-bench.js';
import { median } from './frame-stats.js';

export const OPEN_TARGET_MS = 1_500;
export const FRAME_TARGET_MS = 100;

export interface ReportRow {
  metric: string;
  measured: string;
  reference: string;
  ratio: string;
  target: string;
  /** undefined: shown for understanding, no target. */
  pass?: boolean;
}

export function reportRows(result: AppBenchResult): ReportRow[] {
  const { cells, streamLines, openRuns, idleMs } = result.options;
  const interactive = median(result.opens.map((open) => open.interactiveMs));
  const referenceInteractive = median(result.referenceOpens.map((open) => open.interactiveMs));
  const rendered = median(result.opens.map((open) => open.renderedMs));
  const referenceRendered = median(result.referenceOpens.map((open) => open.renderedMs));
  const { idle, typing, stream } = result;
  const lines = (streamLines).toLocaleString('en');
  return [
    {
      metric: `navigation → interactive, ${cells}-cell notebook (median of ${openRuns}; runs ${result.opens.map((open) => ms(open.interactiveMs)).join(', ')})`,
      measured: ms(interactive),
      reference: `${ms(referenceInteractive)} (1-cell notebook)`,
      ratio: ratio(interactive, referenceInteractive),
      target: `< ${ms(OPEN_TARGET_MS)}`,
      pass: interactive < OPEN_TARGET_MS,
    },
    {
      metric: `navigation → all ${result.cellsRendered} cells and their outputs rendered, kernel idle (median)`,
      measured: ms(rendered),
      reference: `${ms(referenceRendered)} (1-cell notebook)`,
      ratio: ratio(rendered, referenceRendered),
      target: '',
    },
    {
      metric: 'navigation → every table loaded into duckdb-wasm and the chart drawn (last run)',
      measured: ms(result.settledMs),
      reference: '',
      ratio: '',
      target: '',
    },
    {
      metric: `longest frame while a cell prints ${lines} lines (${ms(result.streamRunMs)} run, ${stream.frames} frames)`,
      measured: ms(stream.longestFrameMs),
      reference: `${ms(idle.longestFrameMs)} (idle page, ${ms(idleMs)}, ${idle.frames} frames)`,
      ratio: ratio(stream.longestFrameMs, idle.longestFrameMs),
      target: `≤ ${ms(FRAME_TARGET_MS)}`,
      pass: stream.longestFrameMs <= FRAME_TARGET_MS,
    },
    {
      metric: 'frames over 100 ms while streaming',
      measured: String(stream.framesOver100Ms),
      reference: `${idle.framesOver100Ms} (idle page)`,
      ratio: '',
      target: '0',
      pass: stream.framesOver100Ms === 0,
    },
    {
      metric: '95th percentile frame while streaming',
      measured: ms(stream.p95FrameMs),
      reference: `${ms(idle.p95FrameMs)} (idle page)`,
      ratio: ratio(stream.p95FrameMs, idle.p95FrameMs),
      target: '',
    },
    {
      metric: 'long tasks (> 50 ms) while streaming: count, longest',
      measured: `${stream.longTasks}, ${ms(stream.longestTaskMs)}`,
      reference: `${idle.longTasks}, ${ms(idle.longestTaskMs)} (idle page)`,
      ratio: '',
      target: '',
    },
    {
      metric: `input answered while streaming: keydowns answered / sent, worst keydown → next frame`,
      measured: `${stream.inputsAnswered} / ${result.keydownsSent}, ${ms(stream.worstInputLatencyMs)}`,
      reference: `${typing.inputsAnswered}, ${ms(typing.worstInputLatencyMs)} (typing, no stream)`,
      ratio: ratio(stream.worstInputLatencyMs, typing.worstInputLatencyMs),
      target: `all answered`,
      pass: stream.inputsAnswered === result.keydownsSent,
    },
  ];
}

export function markdownTable(rows: ReportRow[]): string {
  const header = ['metric', 'measured', 'reference', 'ratio', 'target', 'pass/fail'];
  const body = rows.map((row) => [row.metric, row.measured, row.reference, row.ratio, row.target, row.pass === undefined ? '' : row.pass ? 'pass' : 'FAIL']);
  return [header, header.map(() => '---'), ...body].map((cells) => `| ${cells.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`).join('\n');
}

function ms(value: number): string {
  return `${Math.round(value).toLocaleString('en')} ms`;
}

function ratio(measured: number, reference: number): string {
  return reference > 0 ? `${(measured / reference).toFixed(2)}×` : '';
}
