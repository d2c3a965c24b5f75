import type { VisualizationSpec } from 'vega-embed';
import { quoteIdent } from '../table/sql-quote.js';
import { whereClause } from '../table/table-query.js';

export const CHART_KINDS = ['table', 'bar', 'line', 'area', 'scatter', 'pie'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];
export const AGGREGATES = ['none', 'sum', 'mean', 'count', 'min', 'max'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** The chart chosen for one table output; saved in the cell's metadata (`quire.charts[outputIndex]`). */
export interface ChartChoice {
  kind: ChartKind;
  x: string | null;
  y: string | null;
  color: string | null;
  aggregate: Aggregate;
}

export const MAX_CHART_ROWS = 5_000;

export function isChartChoice(value: unknown): value is ChartChoice {
  const v = value as ChartChoice;
  return (
    typeof v === 'object' && v !== null && CHART_KINDS.includes(v.kind) && AGGREGATES.includes(v.aggregate)
  );
}

/** The SQL that feeds the chart: aggregated in duckdb-wasm so the chart never holds more than it draws. */
export function chartQuery(table: string, choice: ChartChoice, filters: Record<string, string>): string {
  const x = choice.x ? quoteIdent(choice.x) : null;
  const y = choice.y ? quoteIdent(choice.y) : null;
  const color = choice.color ? quoteIdent(choice.color) : null;
  const where = whereClause(filters);
  if (choice.aggregate === 'none' || !x) {
    const columns = [x && `${x} AS x`, y && `${y} AS y`, color && `${color} AS color`].filter(Boolean).join(', ');
    return `SELECT ${columns || '*'} FROM ${quoteIdent(table)}${where} LIMIT ${MAX_CHART_ROWS}`;
  }
  const measure = choice.aggregate === 'count' || !y ? 'count(*)' : `${sqlAggregate(choice.aggregate)}(${y})`;
  const groups = [x, color].filter(Boolean).join(', ');
  const select = [`${x} AS x`, color && `${color} AS color`, `${measure}::DOUBLE AS y`].filter(Boolean).join(', ');
  return `SELECT ${select} FROM ${quoteIdent(table)}${where} GROUP BY ${groups} ORDER BY ${x} LIMIT ${MAX_CHART_ROWS}`;
}

function sqlAggregate(aggregate: Exclude<Aggregate, 'none' | 'count'>): string {
  return aggregate === 'mean' ? 'avg' : aggregate;
}

/** Vega-Lite for the chosen chart over rows shaped {x, y, color}. */
export function chartSpec(choice: ChartChoice, values: Array<Record<string, unknown>>, xIsNumeric: boolean): VisualizationSpec {
  const yTitle = choice.aggregate === 'none' ? choice.y ?? '' : choice.aggregate === 'count' ? 'count' : `${choice.aggregate}(${choice.y})`;
  const colorEncoding = choice.color ? { color: { field: 'color', type: 'nominal', title: choice.color } } : {};
  // 'fit' with padding: the axes and legend fit inside the cell's width instead of overflowing it.
  const base = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    data: { values },
    width: 'container',
    height: 280,
    autosize: { type: 'fit', contains: 'padding' },
  } as const;
  if (choice.kind === 'pie') {
    return {
      ...base,
      mark: { type: 'arc', tooltip: true },
      encoding: {
        theta: { field: 'y', type: 'quantitative', title: yTitle },
        color: { field: 'x', type: 'nominal', title: choice.x ?? '' },
      },
    } as VisualizationSpec;
  }
  const mark = choice.kind === 'scatter' ? 'point' : choice.kind;
  const xType = choice.kind === 'bar' || !xIsNumeric ? 'ordinal' : 'quantitative';
  // Sums and counts per colour add up to the total of their x, so their bars and areas stack; means, minima,
  // maxima and raw values do not, so stacking them would draw totals that mean nothing: bars stand side by
  // side instead, and areas overlap.
  const stacks = choice.aggregate === 'sum' || choice.aggregate === 'count';
  const sideBySide = choice.color && !stacks && choice.kind === 'bar' ? { xOffset: { field: 'color', type: 'nominal' } } : {};
  return {
    ...base,
    mark: { type: mark, tooltip: true },
    encoding: {
      x: { field: 'x', type: xType, title: choice.x ?? '', sort: null },
      y: { field: 'y', type: 'quantitative', title: yTitle, ...(stacks ? {} : { stack: null }) },
      ...colorEncoding,
      ...sideBySide,
    },
  } as VisualizationSpec;
}
