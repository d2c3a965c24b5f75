import type { Result } from 'vega-embed';
import { downloadUrl, h } from '../dom.js';
import { exportChart } from './vega.js';

/** "PNG" and "SVG" buttons that download the chart they are attached to. */
export class ChartExportButtons {
  readonly element: HTMLElement;
  private result: Result | null = null;

  constructor(private readonly baseName: string) {
    this.element = h(
      'div',
      { class: 'chart-export' },
      h('button', { class: 'ghost', title: 'Export as PNG', onclick: () => void this.save('png') }, 'PNG'),
      h('button', { class: 'ghost', title: 'Export as SVG', onclick: () => void this.save('svg') }, 'SVG'),
    );
    this.element.hidden = true;
  }

  attach(result: Result | null): void {
    this.result = result;
    this.element.hidden = result === null;
  }

  private async save(format: 'png' | 'svg'): Promise<void> {
    if (!this.result) return;
    downloadUrl(await exportChart(this.result, format), `${this.baseName}.${format}`);
  }
}
