import { clear, h } from '../dom.js';
import type { LoadedTable } from '../table/duckdb.js';
import { formatCell } from '../table/table-query.js';
import { AGGREGATES, CHART_KINDS, type ChartChoice, type ChartKind, chartQuery, chartSpec } from './chart-spec.js';
import { ChartExportButtons } from './export-buttons.js';
import { VegaChart } from './vega.js';

const NUMERIC_TYPE = /^(Int|Uint|Float|Decimal|Double)/i;

/**
 * The toolbar above every result table: table or chart kind, x / y / color fields and aggregation.
 * Every change is reported through `onChoice` so the owner can save it in the cell's metadata.
 */
export class ChartBuilder {
  readonly toolbar: HTMLElement;
  readonly chartHost: HTMLElement;
  private fieldControls: HTMLElement;
  private exportButtons = new ChartExportButtons('chart');
  private drawn: VegaChart | null = null;
  private drawGeneration = 0;

  constructor(
    private readonly table: LoadedTable,
    private choice: ChartChoice,
    private readonly filters: () => Record<string, string>,
    private readonly onChoice: (choice: ChartChoice) => void,
  ) {
    const kinds = h('div', { class: 'segmented', role: 'tablist', 'aria-label': 'view as' });
    for (const kind of CHART_KINDS) {
      kinds.append(h('button', {
        role: 'tab',
        'data-kind': kind,
        'aria-selected': String(kind === choice.kind),
        onclick: () => this.update({ kind }),
      }, kind[0]!.toUpperCase() + kind.slice(1)));
    }
    this.fieldControls = h('div', { class: 'chart-fields' },
      this.select('x', [null, ...table.columns.map((c) => c.name)]),
      this.select('y', [null, ...table.columns.map((c) => c.name)]),
      this.select('color', [null, ...table.columns.map((c) => c.name)]),
      this.select('aggregate', [...AGGREGATES]),
    );
    this.toolbar = h('div', { class: 'chart-toolbar' }, kinds, this.fieldControls, this.exportButtons.element);
    this.chartHost = h('div', { class: 'chart-host' });
    this.applyVisibility();
  }

  get kind(): ChartKind {
    return this.choice.kind;
  }

  /** Picks sensible fields the first time a chart is chosen: the first text column by the first number. */
  static defaultChoice(table: LoadedTable): ChartChoice {
    const numeric = table.columns.filter((c) => NUMERIC_TYPE.test(c.type));
    const other = table.columns.filter((c) => !NUMERIC_TYPE.test(c.type));
    const x = other[0]?.name ?? table.columns[0]?.name ?? null;
    const y = numeric.find((c) => c.name !== x)?.name ?? null;
    return { kind: 'table', x, y, color: null, aggregate: y ? 'sum' : 'count' };
  }

  async redraw(): Promise<void> {
    const generation = ++this.drawGeneration;
    this.drawn?.finalize();
    this.drawn = null;
    this.exportButtons.attach(null);
    clear(this.chartHost);
    if (this.choice.kind === 'table') return;
    if (!this.choice.x) {
      this.chartHost.append(h('div', { class: 'chart-hint' }, 'Choose a column for x.'));
      return;
    }
    try {
      const result = await this.table.connection.query(chartQuery(this.table.name, this.choice, this.filters()));
      const values = result.toArray().map((row) => normalizeRow(row.toJSON() as Record<string, unknown>));
      const xColumn = this.table.columns.find((c) => c.name === this.choice.x);
      const spec = chartSpec(this.choice, values, NUMERIC_TYPE.test(xColumn?.type ?? ''));
      if (generation !== this.drawGeneration) return;
      const drawn = await VegaChart.draw(this.chartHost, spec);
      if (generation !== this.drawGeneration) return drawn.finalize();
      this.drawn = drawn;
      this.exportButtons.attach(drawn);
    } catch (error) {
      this.chartHost.append(h('pre', { class: 'output-error' }, `Could not draw the chart: ${(error as Error).message}`));
    }
  }

  dispose(): void {
    this.drawGeneration++;
    this.drawn?.finalize();
  }

  private update(change: Partial<ChartChoice>): void {
    this.choice = { ...this.choice, ...change };
    for (const button of this.toolbar.querySelectorAll<HTMLButtonElement>('[data-kind]')) {
      button.setAttribute('aria-selected', String(button.dataset.kind === this.choice.kind));
    }
    this.applyVisibility();
    this.onChoice(this.choice);
    void this.redraw();
  }

  private applyVisibility(): void {
    this.fieldControls.hidden = this.choice.kind === 'table';
  }

  private select(field: 'x' | 'y' | 'color' | 'aggregate', options: Array<string | null>): HTMLElement {
    const current = this.choice[field];
    const select = h('select', {
      'aria-label': field,
      'data-field': field,
      onchange: (event: Event) => {
        const value = (event.target as HTMLSelectElement).value;
        this.update({ [field]: value === '' ? null : value } as Partial<ChartChoice>);
      },
    });
    for (const option of options) {
      select.append(h('option', { value: option ?? '', selected: option === current }, option ?? '—'));
    }
    return h('label', { class: 'chart-field' }, h('span', {}, field), select);
  }
}

/** Vega cannot plot bigints; dates become ISO strings vega parses itself. */
function normalizeRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    out[key] = typeof value === 'bigint' ? Number(value) : value instanceof Date ? value.toISOString() : typeof value === 'object' && value !== null ? formatCell(value) : value;
  }
  return out;
}
