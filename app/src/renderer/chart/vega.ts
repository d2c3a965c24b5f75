import type { Result, VisualizationSpec } from 'vega-embed';
import { type Theme, currentTheme, onThemeChange } from '../theme/theme.js';

/**
 * A Vega-Lite chart drawn in the app's theme, and drawn again whenever the theme changes (Vega fixes a
 * chart's colours when it parses the spec, so a theme switch needs a new view). Vega's default expression
 * compiler uses `new Function`, which the app's Content-Security-Policy forbids, so expressions go through
 * vega-interpreter (`ast: true`). Vega, Vega-Lite and vega-embed are a chunk of their own, fetched and
 * parsed when the first chart is drawn rather than before the app's first paint.
 */
export class VegaChart {
  private result: Result | null = null;
  /** The element `result` is drawn in. */
  private drawing: HTMLElement | null = null;
  private generation = 0;
  private disposed = false;
  private readonly stopFollowingTheme: () => void;

  private constructor(private readonly host: HTMLElement, private readonly spec: VisualizationSpec) {
    this.stopFollowingTheme = onThemeChange((theme) => {
      this.draw(theme).catch((error: unknown) => this.showError(error));
    });
  }

  /** Draws `spec` into `host`; rejects when Vega cannot draw it. */
  static async draw(host: HTMLElement, spec: VisualizationSpec): Promise<VegaChart> {
    const chart = new VegaChart(host, spec);
    try {
      await chart.draw(currentTheme());
    } catch (error) {
      chart.finalize();
      throw error;
    }
    return chart;
  }

  /**
   * PNG (at twice the drawn size) or SVG of the chart as a URL to download. The page's surface colour is
   * painted in: the chart is drawn on a transparent background, which in the dark theme would leave light
   * text on nothing once the image leaves the app.
   */
  async toImageURL(format: 'png' | 'svg'): Promise<string> {
    const view = this.current().view;
    const background = view.background();
    view.background(surfaceColour(this.host));
    try {
      return await view.toImageURL(format, format === 'png' ? 2 : 1);
    } finally {
      view.background(background);
    }
  }

  /** Stops the chart and takes its drawing out of the page. */
  finalize(): void {
    this.disposed = true;
    this.generation++;
    this.stopFollowingTheme();
    this.result?.finalize();
    this.drawing?.remove();
    this.result = null;
    this.drawing = null;
  }

  /**
   * Draws into a fresh element beside the current drawing and then drops the old one, so a redraw never
   * leaves the cell empty. The element is in the page while drawn: 'container' widths are measured from it.
   */
  private async draw(theme: Theme): Promise<void> {
    const generation = ++this.generation;
    const target = document.createElement('div');
    target.className = 'vega-chart';
    this.host.append(target);
    let result: Result;
    try {
      const { embed, expressionInterpreter } = await loadVega();
      result = await embed(target, this.spec, {
        ast: true,
        expr: expressionInterpreter,
        actions: false,
        renderer: 'svg',
        theme: theme === 'dark' ? 'dark' : undefined,
        config: { background: 'transparent' },
      });
    } catch (error) {
      target.remove();
      throw error;
    }
    if (this.disposed || generation !== this.generation) {
      result.finalize();
      target.remove();
      return;
    }
    this.result?.finalize();
    this.drawing?.remove();
    this.result = result;
    this.drawing = target;
  }

  private current(): Result {
    if (!this.result) throw new Error('the chart is not drawn (it was closed, or its redraw failed)');
    return this.result;
  }

  private showError(error: unknown): void {
    if (this.disposed) return;
    this.result?.finalize();
    this.drawing?.remove();
    this.result = null;
    this.drawing = null;
    const message = document.createElement('pre');
    message.className = 'output-error';
    message.textContent = `Could not draw the chart: ${(error as Error).message}`;
    this.host.append(message);
  }
}

interface VegaModules {
  embed: typeof import('vega-embed').default;
  expressionInterpreter: typeof import('vega-interpreter').expressionInterpreter;
}

let vegaModules: Promise<VegaModules> | null = null;

/** Vega's modules, imported once; a failed import is not kept, so the next chart tries again. */
function loadVega(): Promise<VegaModules> {
  vegaModules ??= Promise.all([import('vega-embed'), import('vega-interpreter')]).then(
    ([vegaEmbed, interpreter]) => ({ embed: vegaEmbed.default, expressionInterpreter: interpreter.expressionInterpreter }),
    (error: unknown) => {
      vegaModules = null;
      throw error;
    },
  );
  return vegaModules;
}

function surfaceColour(element: HTMLElement): string {
  return getComputedStyle(element).getPropertyValue('--surface').trim() || 'white';
}
