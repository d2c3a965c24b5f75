/**
 * The saved notebook the UI bench opens: `cells` cells shaped like a working data notebook, with the
 * outputs the kernel really produces (its own DataFrame and chart display code builds the table and chart
 * bundles, so the UI meets the Arrow payloads and Vega-Lite specs it meets in use):
 *  - every 5th cell is markdown (a heading, a paragraph, a list);
 *  - every 10th code slot shows a DataFrame (HTML table, text table and a 200-row Arrow payload);
 *  - one cell (the 31st, or the 2nd of a notebook of up to 30 cells) shows a bar chart;
 *  - every other code cell prints a few lines (a stream) and returns a short value.
 * The last cell is always a code cell, so "type into the last cell" has an editor to type into; a one-cell
 * notebook is one such printing cell (the bench's reference).
 */
import { tableFromArrays } from 'apache-arrow';
import { renderChart } from '../../kernel/src/display/chart.js';
import { renderDataFrame, type DisplayableDataFrame } from '../../kernel/src/display/dataframe.js';

export interface BenchNotebook {
  json: object;
  /** Outputs each cell was saved with, in cell order (0 for markdown): the UI must render this many. */
  outputsPerCell: number[];
}

const TABLE_ROWS = 200;

export async function benchNotebook(cells: number): Promise<BenchNotebook> {
  if (!Number.isInteger(cells) || cells < 1) throw new Error(`a bench notebook needs a positive whole number of cells, not ${cells}`);
  const chartAt = cells > 30 ? 30 : 1;
  const notebookCells: object[] = [];
  for (let i = 0; i < cells; i++) {
    const isLast = i === cells - 1;
    if (cells === 1) notebookCells.push(printCell(i));
    else if (i % 5 === 4 && !isLast) notebookCells.push(markdownCell(i));
    else if (i === chartAt) notebookCells.push(await chartCell(i));
    else if (i % 10 === 0) notebookCells.push(await dataFrameCell(i));
    else notebookCells.push(printCell(i));
  }
  return {
    json: {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: { kernelspec: { name: 'quire', display_name: 'Quire (TypeScript, SQL)', language: 'typescript' }, language_info: { name: 'typescript' } },
      cells: notebookCells,
    },
    outputsPerCell: notebookCells.map((cell) => (cell as { outputs?: unknown[] }).outputs?.length ?? 0),
  };
}

function markdownCell(i: number): object {
  return {
    cell_type: 'markdown',
    id: `bench-${i}`,
    metadata: {},
    source: `## Step ${i / 5 + 1}\n\nOrders of region **${i % 7}** joined with their customers; the totals below are per *month*.\n\n- rows with a null price are dropped\n- amounts are in euros\n`,
  };
}

function printCell(i: number): object {
  return {
    cell_type: 'code',
    id: `bench-${i}`,
    metadata: {},
    execution_count: i + 1,
    source: `const rows${i} = Array.from({ length: 5 }, (_, k) => ({ k, square: k * k }));\nconsole.log('cell ${i}', rows${i}.length);\nrows${i}.map((r) => r.square).join(', ')`,
    outputs: [
      { output_type: 'stream', name: 'stdout', text: `cell ${i} 5\nsecond line of cell ${i}\n` },
      { output_type: 'execute_result', execution_count: i + 1, metadata: {}, data: { 'text/plain': "'0, 1, 4, 9, 16'" } },
    ],
  };
}

async function dataFrameCell(i: number): Promise<object> {
  const bundle = await renderDataFrame(arrowFrame(i), { htmlRows: 20, arrowRows: TABLE_ROWS });
  return {
    cell_type: 'code',
    id: `bench-${i}`,
    metadata: {},
    execution_count: i + 1,
    source: `const orders${i} = session.read.parquet('orders.parquet').where(col('region').eq(${i % 7}))\norders${i}`,
    outputs: [
      { output_type: 'stream', name: 'stdout', text: `reading orders of region ${i % 7}\n` },
      { output_type: 'execute_result', execution_count: i + 1, data: bundle.data, metadata: bundle.metadata },
    ],
  };
}

async function chartCell(i: number): Promise<object> {
  const rows = Array.from({ length: 12 }, (_, month) => ({ month: `2026-${String(month + 1).padStart(2, '0')}`, total: ((i + 3) * (month + 5) * 37) % 1000 }));
  const bundle = await renderChart(rows, { mark: 'bar', x: 'month', y: 'total', title: 'Monthly total' });
  return {
    cell_type: 'code',
    id: `bench-${i}`,
    metadata: {},
    execution_count: i + 1,
    source: `display.chart(monthly, { mark: 'bar', x: 'month', y: 'total', title: 'Monthly total' })`,
    outputs: [{ output_type: 'display_data', data: bundle.data, metadata: bundle.metadata }],
  };
}

/** A DataFrame as display code sees it, over an in-memory Arrow table. */
function arrowFrame(seed: number): DisplayableDataFrame {
  const table = tableFromArrays({
    order_id: Int32Array.from({ length: TABLE_ROWS }, (_, r) => seed * 1000 + r),
    region: Int32Array.from({ length: TABLE_ROWS }, () => seed % 7),
    amount: Float64Array.from({ length: TABLE_ROWS }, (_, r) => ((seed + 1) * (r + 7) * 13) % 10_000 / 100),
    customer: Array.from({ length: TABLE_ROWS }, (_, r) => `customer ${(seed * 31 + r) % 500}`),
  });
  const frame: DisplayableDataFrame = {
    limit: () => frame,
    toArrow: async () => table,
    count: async () => TABLE_ROWS,
  };
  return frame;
}
