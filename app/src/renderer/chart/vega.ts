import embed, { type Result, type VisualizationSpec } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import { currentTheme } from '../theme/theme.js';

/**
 * Draws a Vega-Lite spec. Vega's default expression compiler uses `new Function`, which the app's
 * Content-Security-Policy forbids, so expressions go through vega-interpreter (`ast: true`).
 */
export async function drawVegaLite(host: HTMLElement, spec: VisualizationSpec): Promise<Result> {
  const dark = currentTheme() === 'dark';
  return embed(host, spec, {
    ast: true,
    expr: expressionInterpreter,
    actions: false,
    renderer: 'svg',
    theme: dark ? 'dark' : undefined,
    config: { background: 'transparent' },
  });
}

/** PNG or SVG of a drawn chart, as a URL to download. */
export async function exportChart(result: Result, format: 'png' | 'svg'): Promise<string> {
  return result.view.toImageURL(format, format === 'png' ? 2 : 1);
}
