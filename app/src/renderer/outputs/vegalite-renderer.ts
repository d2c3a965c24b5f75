import type { VisualizationSpec } from 'vega-embed';
import { h } from '../dom.js';
import { VegaChart } from '../chart/vega.js';
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
    VegaChart.draw(chartHost, data[VEGALITE_MIME] as VisualizationSpec).then(
      (chart) => {
        if (disposed) return chart.finalize();
        finalize = () => chart.finalize();
        exportButtons.attach(chart);
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
