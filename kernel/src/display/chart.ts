/**
 * `display.chart(data, { mark, x, y, color, aggregate })`: a Vega-Lite spec for the app to render
 * interactively, plus an SVG rendered here (headless vega View) for viewers that cannot run Vega.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { JSONObject, JSONValue } from '../protocol/messages.js';
import { tableRows } from './arrow-rows.js';
import type { DisplayBundle } from './bundle.js';
import { isDataFrame, type DisplayableDataFrame } from './dataframe.js';

export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';

export interface ChartOptions {
  mark: 'bar' | 'line' | 'point' | 'area' | 'tick' | 'rect' | 'circle' | 'square' | 'boxplot';
  x: string;
  y?: string;
  color?: string;
  /** Aggregate applied to `y` (e.g. 'sum', 'mean', 'count'). */
  aggregate?: string;
  title?: string;
  width?: number;
  height?: number;
  /** Most rows taken from a DataFrame. */
  maxRows?: number;
}

const MARKS = new Set(['bar', 'line', 'point', 'area', 'tick', 'rect', 'circle', 'square', 'boxplot']);
type Row = Record<string, JSONValue>;

export async function renderChart(data: DisplayableDataFrame | readonly object[], options: ChartOptions): Promise<DisplayBundle> {
  if (!options || typeof options !== 'object') throw new TypeError('display.chart(data, options): options { mark, x, y? } are required');
  if (!MARKS.has(options.mark)) throw new TypeError(`display.chart: unknown mark '${String(options.mark)}' (one of ${[...MARKS].join(', ')})`);
  if (typeof options.x !== 'string') throw new TypeError('display.chart: option x must name a column');
  const rows = await chartRows(data, options.maxRows ?? 5_000);
  for (const field of [options.x, options.y, options.color]) {
    if (field !== undefined && rows.length > 0 && !(field in rows[0]!)) {
      throw new TypeError(`display.chart: no column '${field}' in the data (columns: ${Object.keys(rows[0]!).join(', ')})`);
    }
  }
  const encoding: JSONObject = { x: { field: options.x, type: fieldType(rows, options.x) } };
  if (options.y) {
    const y: JSONObject = { field: options.y, type: fieldType(rows, options.y) };
    if (options.aggregate) y.aggregate = options.aggregate;
    encoding.y = y;
  } else if (options.aggregate === 'count') {
    encoding.y = { aggregate: 'count', type: 'quantitative' };
  }
  if (options.color) encoding.color = { field: options.color, type: fieldType(rows, options.color) };
  const spec: JSONObject = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    data: { values: rows },
    mark: { type: options.mark, tooltip: true },
    encoding,
    width: options.width ?? 400,
    height: options.height ?? 250,
  };
  if (options.title) spec.title = options.title;
  const svg = await renderSvg(spec);
  const label = `<${options.mark} chart of ${options.y ? `${options.aggregate ? `${options.aggregate}(${options.y})` : options.y} by ` : ''}${options.x}, ${rows.length} rows>`;
  return { data: { [VEGALITE_MIME]: spec, 'image/svg+xml': svg, 'text/plain': label }, metadata: {} };
}

export async function renderSvg(vegaLiteSpec: JSONObject): Promise<string> {
  const compiled = compile(vegaLiteSpec as unknown as TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

async function chartRows(data: DisplayableDataFrame | readonly object[], maxRows: number): Promise<Row[]> {
  if (isDataFrame(data)) {
    const table = await data.limit(maxRows).toArrow();
    return tableRows(table, 'json').map(toJsonRow);
  }
  if (Array.isArray(data)) return data.slice(0, maxRows).map((row) => toJsonRow(row as object));
  throw new TypeError('display.chart: data must be a DataFrame or an array of row objects');
}

function toJsonRow(row: object): Row {
  const out: Row = {};
  for (const [key, value] of Object.entries(row)) {
    if (typeof value === 'bigint') out[key] = Number(value);
    else if (value instanceof Date) out[key] = value.toISOString();
    else out[key] = value as JSONValue;
  }
  return out;
}

function fieldType(rows: Row[], field: string): 'quantitative' | 'temporal' | 'nominal' {
  const sample = rows.find((row) => row[field] !== null && row[field] !== undefined)?.[field];
  if (typeof sample === 'number') return 'quantitative';
  if (typeof sample === 'string' && /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?/.test(sample)) return 'temporal';
  return 'nominal';
}
