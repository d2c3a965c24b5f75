import type { VisualizationSpec } from 'vega-embed';
import { h } from '../dom.js';
import { drawVegaLite } from '../chart/vega.js';
import { ChartExportButtons } from '../chart/export-buttons.js';
import type { MimeRenderer } from './types.js';

export const VEGALITE_MIME = 'application/vnd.vegalite.v5+json';

export const vegaLiteRenderer: MimeRenderer = {
  mimeType: VEGALITE_MIME,
  render(host, data) {
    const chartHost = h('div', { class: 'chart-host' });
    const exportButtons = new ChartExportButtons('chart');
    host.classList.add('output-chart');
    host.append(exportButtons.element, chartHost);
    let finalize: (() => void) | undefined;
    let disposed = false;
    drawVegaLite(chartHost, data[VEGALITE_MIME] as VisualizationSpec).then(
      (result) => {
        if (disposed) return result.finalize();
        finalize = () => result.finalize();
        exportButtons.attach(result);
      },
      (error: unknown) => {
        chartHost.append(h('pre', { class: 'output-error' }, `Could not draw the chart: ${(error as Error).message}`));
      },
    );
    return () => {
      disposed = true;
      finalize?.();
    };
  },
};
