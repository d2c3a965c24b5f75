import { clear, h } from '../dom.js';
import type { LoadedTable } from './duckdb.js';
import { type TableViewState, countQuery, formatCell, pageQuery } from './table-query.js';

const ROW_HEIGHT = 26;
const VIEW_ROWS = 14;
const OVERSCAN = 20;

/**
 * A virtualized result table over a duckdb-wasm table: only the rows in view (plus a margin) are
 * fetched and in the DOM, so a million-row result scrolls as smoothly as ten rows. Sorting (click a
 * header) and filtering (the boxes under the headers) run as SQL in duckdb-wasm.
 */
export class TableView {
  readonly element: HTMLElement;
  readonly state: TableViewState = { filters: {}, sort: null };
  private body: HTMLElement;
  private spacer: HTMLElement;
  private rowsHost: HTMLElement;
  private footer: HTMLElement;
  private headerCells = new Map<string, HTMLElement>();
  private rowCount = 0;
  private generation = 0;
  private scheduled = false;
  private renderedRange = '';
  private onStateChange: (() => void) | null = null;

  /**
   * `loadedRows` is what the Arrow payload holds; `totalRows` what the whole result has (the kernel
   * sends at most its first rows, and says how many there are in all).
   */
  constructor(private readonly table: LoadedTable, readonly loadedRows: number, readonly totalRows: number) {
    const template = `repeat(${table.columns.length}, minmax(120px, 1fr))`;
    const header = h('div', { class: 'table-row table-header', style: `grid-template-columns:${template}` });
    const filters = h('div', { class: 'table-row table-filters', style: `grid-template-columns:${template}` });
    for (const column of table.columns) {
      const label = h('div', { class: 'table-cell th', title: `${column.name}: ${column.type}`, onclick: () => this.toggleSort(column.name) }, column.name);
      this.headerCells.set(column.name, label);
      header.append(label);
      filters.append(
        h('div', { class: 'table-cell' }, h('input', {
          class: 'table-filter',
          placeholder: 'filter…',
          'aria-label': `filter ${column.name}`,
          oninput: (event: Event) => this.setFilter(column.name, (event.target as HTMLInputElement).value),
        })),
      );
    }
    this.spacer = h('div', { class: 'table-spacer' });
    this.rowsHost = h('div', { class: 'table-rows' });
    this.body = h('div', { class: 'table-body', style: `max-height:${ROW_HEIGHT * VIEW_ROWS}px`, onscroll: () => this.schedule() }, this.spacer, this.rowsHost);
    this.footer = h('div', { class: 'table-footer' });
    const grid = h('div', { class: 'table-grid', style: `--row-height:${ROW_HEIGHT}px;--columns:${template}` }, header, filters, this.body);
    this.element = h('div', { class: 'result-table' }, h('div', { class: 'table-scroll-x' }, grid), this.footer);
    void this.refresh();
  }

  /** Called after sorting or filtering changes, so a chart over the same table can redraw. */
  onChange(listener: () => void): void {
    this.onStateChange = listener;
  }

  private toggleSort(column: string): void {
    const sort = this.state.sort;
    if (!sort || sort.column !== column) this.state.sort = { column, direction: 'asc' };
    else if (sort.direction === 'asc') this.state.sort = { column, direction: 'desc' };
    else this.state.sort = null;
    for (const [name, cell] of this.headerCells) {
      cell.dataset.sort = this.state.sort?.column === name ? this.state.sort.direction : '';
    }
    void this.refresh();
  }

  private setFilter(column: string, text: string): void {
    this.state.filters[column] = text;
    void this.refresh();
  }

  private async refresh(): Promise<void> {
    const generation = ++this.generation;
    const result = await this.table.connection.query(countQuery(this.table.name, this.state));
    if (generation !== this.generation) return;
    this.rowCount = Number(result.toArray()[0]?.n ?? 0);
    this.spacer.style.height = `${this.rowCount * ROW_HEIGHT}px`;
    const filtered = this.rowCount !== this.loadedRows ? `${this.rowCount.toLocaleString()} matching · ` : '';
    const partial = this.loadedRows < this.totalRows ? ` (first ${this.loadedRows.toLocaleString()} loaded)` : '';
    this.footer.textContent = `${filtered}${this.totalRows.toLocaleString()} rows${partial} · ${this.table.columns.length} columns`;
    this.renderedRange = '';
    this.body.scrollTop = Math.min(this.body.scrollTop, Math.max(0, this.rowCount * ROW_HEIGHT - ROW_HEIGHT));
    await this.renderVisible();
    this.onStateChange?.();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => {
      this.scheduled = false;
      void this.renderVisible();
    });
  }

  private async renderVisible(): Promise<void> {
    const first = Math.max(0, Math.floor(this.body.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const count = VIEW_ROWS + 2 * OVERSCAN;
    const key = `${first}:${count}:${this.generation}`;
    if (key === this.renderedRange) return;
    this.renderedRange = key;
    const generation = this.generation;
    const result = await this.table.connection.query(pageQuery(this.table.name, this.state, first, count));
    if (generation !== this.generation || key !== this.renderedRange) return;
    const rows = result.toArray();
    clear(this.rowsHost);
    this.rowsHost.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    for (const row of rows) {
      const json = row.toJSON() as Record<string, unknown>;
      const line = h('div', { class: 'table-row', style: 'grid-template-columns:var(--columns)' });
      for (const column of this.table.columns) {
        const value = json[column.name];
        line.append(h('div', { class: typeof value === 'number' || typeof value === 'bigint' ? 'table-cell num' : 'table-cell' }, formatCell(value)));
      }
      this.rowsHost.append(line);
    }
  }
}

export async function countRows(table: LoadedTable): Promise<number> {
  const result = await table.connection.query(countQuery(table.name, { filters: {}, sort: null }));
  return Number(result.toArray()[0]?.n ?? 0);
}
