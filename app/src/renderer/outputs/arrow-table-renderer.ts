import { h } from '../dom.js';
import { ChartBuilder } from '../chart/chart-builder.js';
import { type ChartChoice, isChartChoice } from '../chart/chart-spec.js';
import { TableView, countRows } from '../table/table-view.js';
import { sanitizeHtml } from './sanitize.js';
import type { MimeRenderer, OutputContext } from './types.js';

export const ARROW_MIME = 'application/vnd.apache.arrow.file';

/**
 * A DataFrame result: the kernel's Arrow payload loaded into duckdb-wasm, shown as a virtualized,
 * sortable, filterable table with a chart builder. Until duckdb-wasm is ready (or if it fails) the
 * kernel's own text/html rendering is shown. duckdb-wasm and apache-arrow are fetched and parsed with the
 * first table drawn (a chunk of their own), not before the app's first paint.
 */
export const arrowTableRenderer: MimeRenderer = {
  mimeType: ARROW_MIME,
  render(host, data, context) {
    host.classList.add('output-table');
    const fallback = h('div', { class: 'output-html table-fallback' });
    if (typeof data['text/html'] === 'string') fallback.append(sanitizeHtml(data['text/html']));
    host.append(fallback);
    let disposed = false;
    let cleanup: (() => void) | null = null;
    import('../table/duckdb.js')
      .then(({ loadArrowPayload }) => loadArrowPayload(String(data[ARROW_MIME])))
      .then(async (table) => {
        if (disposed) return table.drop();
        const loaded = await countRows(table);
        const declared = (context.metadata[ARROW_MIME] as { rowCount?: number } | undefined)?.rowCount;
        const view = new TableView(table, loaded, typeof declared === 'number' ? declared : loaded);
        const saved = savedChoice(context);
        const builder = new ChartBuilder(table, saved ?? ChartBuilder.defaultChoice(table), () => view.state.filters, (choice) => {
          saveChoice(context, choice);
          showKind();
        });
        const showKind = () => {
          view.element.hidden = builder.kind !== 'table';
          builder.chartHost.hidden = builder.kind === 'table';
        };
        view.onChange(() => {
          if (builder.kind !== 'table') void builder.redraw();
        });
        fallback.replaceWith(h('div', { class: 'table-widget' }, builder.toolbar, view.element, builder.chartHost));
        showKind();
        void builder.redraw();
        cleanup = () => {
          builder.dispose();
          void table.drop();
        };
      })
      .catch((error: unknown) => {
        host.append(h('div', { class: 'output-warning' }, `Interactive table unavailable: ${(error as Error).message}`));
      });
    return () => {
      disposed = true;
      cleanup?.();
    };
  },
};

function savedChoice(context: OutputContext): ChartChoice | null {
  const charts = (context.cell.metadata.quire as { charts?: Record<string, unknown> } | undefined)?.charts;
  const choice = charts?.[String(context.outputIndex)];
  return isChartChoice(choice) ? choice : null;
}

function saveChoice(context: OutputContext, choice: ChartChoice): void {
  const quire = (context.cell.metadata.quire ?? {}) as { charts?: Record<string, ChartChoice> };
  const charts = { ...(quire.charts ?? {}), [String(context.outputIndex)]: choice };
  context.model.setMetadata(context.cell, 'quire', { ...quire, charts });
}
