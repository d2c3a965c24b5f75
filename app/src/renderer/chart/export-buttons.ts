import { downloadUrl, h } from '../dom.js';
import type { VegaChart } from './vega.js';

/** "PNG" and "SVG" buttons that download the chart they are attached to. */
export class ChartExportButtons {
  readonly element: HTMLElement;
  private chart: VegaChart | null = null;
  private error: HTMLElement;

  constructor(private readonly baseName: string) {
    this.error = h('span', { class: 'chart-export-error', role: 'alert', hidden: true });
    this.element = h(
      'div',
      { class: 'chart-export' },
      h('button', { class: 'ghost', title: 'Export as PNG', 'data-format': 'png', onclick: () => void this.save('png') }, 'PNG'),
      h('button', { class: 'ghost', title: 'Export as SVG', 'data-format': 'svg', onclick: () => void this.save('svg') }, 'SVG'),
      this.error,
    );
    this.element.hidden = true;
  }

  attach(chart: VegaChart | null): void {
    this.chart = chart;
    this.element.hidden = chart === null;
    this.error.hidden = true;
  }

  private async save(format: 'png' | 'svg'): Promise<void> {
    if (!this.chart) return;
    this.error.hidden = true;
    try {
      const url = await this.chart.toImageURL(format);
      downloadUrl(url, `${this.baseName}.${format}`);
      // The SVG comes as an object URL: release it once the download has started.
      if (url.startsWith('blob:')) setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (error) {
      this.error.hidden = false;
      this.error.textContent = `Export failed: ${(error as Error).message}`;
    }
  }
}
