/**
 * The `display` global cells use: `display(value)`, `display.html/markdown/svg/json/mime/chart`, and
 * `clearOutput({ wait })`. Each call turns into a display_data (or update_display_data) message.
 */
import { randomUUID } from 'node:crypto';
import type { JSONValue, MimeBundle } from '../protocol/messages.js';
import { renderValue, type DisplayBundle } from './bundle.js';
import { renderChart, type ChartOptions } from './chart.js';
import type { DataFrameDisplayOptions, DisplayableDataFrame } from './dataframe.js';

export interface DisplaySink {
  display(bundle: DisplayBundle, displayId: string | undefined, update: boolean): void;
  clearOutput(wait: boolean): void;
}

export interface DisplayOptions {
  /** Names the output so a later `display(..., { displayId, update: true })` replaces it. */
  displayId?: string;
  update?: boolean;
}

/** What `display(...)` resolves to: a handle to update the same output in place. */
export class DisplayHandle {
  constructor(
    readonly displayId: string,
    readonly update: (value: unknown) => Promise<void>,
  ) {}
}

export interface DisplayFunction {
  (value: unknown, options?: DisplayOptions): Promise<DisplayHandle>;
  html(html: string, options?: DisplayOptions): Promise<DisplayHandle>;
  markdown(markdown: string, options?: DisplayOptions): Promise<DisplayHandle>;
  svg(svg: string, options?: DisplayOptions): Promise<DisplayHandle>;
  json(value: JSONValue, options?: DisplayOptions): Promise<DisplayHandle>;
  mime(bundle: MimeBundle, options?: DisplayOptions): Promise<DisplayHandle>;
  chart(data: DisplayableDataFrame | readonly object[], chart: ChartOptions, options?: DisplayOptions): Promise<DisplayHandle>;
}

/** Marks a bundle passed to display() so it is shown as is rather than rendered as a value. */
class RawBundle {
  constructor(readonly bundle: DisplayBundle) {}
}

export function createDisplay(sink: () => DisplaySink, dataFrameOptions: () => DataFrameDisplayOptions): DisplayFunction {
  const show = async (value: unknown, options: DisplayOptions = {}): Promise<DisplayHandle> => {
    const bundle = value instanceof RawBundle ? value.bundle : await renderValue(value, dataFrameOptions());
    const displayId = options.displayId ?? randomUUID();
    sink().display(bundle, displayId, options.update === true);
    return new DisplayHandle(displayId, async (next) => void (await show(next, { displayId, update: true })));
  };
  const raw = (data: MimeBundle, options?: DisplayOptions): Promise<DisplayHandle> =>
    show(new RawBundle({ data: { 'text/plain': plainLabel(data), ...data }, metadata: {} }), options);
  const requireString = (what: string, value: unknown): string => {
    if (typeof value !== 'string') throw new TypeError(`display.${what} expects a string, got ${typeof value}`);
    return value;
  };
  return Object.assign(show, {
    html: (html: string, options?: DisplayOptions) => raw({ 'text/html': requireString('html', html) }, options),
    markdown: (markdown: string, options?: DisplayOptions) => raw({ 'text/markdown': requireString('markdown', markdown) }, options),
    svg: (svg: string, options?: DisplayOptions) => raw({ 'image/svg+xml': requireString('svg', svg) }, options),
    json: (value: JSONValue, options?: DisplayOptions) => raw({ 'application/json': value }, options),
    mime: (bundle: MimeBundle, options?: DisplayOptions) => {
      if (typeof bundle !== 'object' || bundle === null || Object.keys(bundle).length === 0) {
        throw new TypeError('display.mime expects a bundle like { "text/html": "<b>hi</b>" }');
      }
      return raw(bundle, options);
    },
    chart: async (data: DisplayableDataFrame | readonly object[], chart: ChartOptions, options?: DisplayOptions) =>
      show(new RawBundle(await renderChart(data, chart)), options),
  });
}

function plainLabel(data: MimeBundle): string {
  return typeof data['text/plain'] === 'string' ? data['text/plain'] : `<${Object.keys(data).join(', ')}>`;
}

export function createClearOutput(sink: () => DisplaySink): (options?: { wait?: boolean }) => void {
  return (options = {}) => sink().clearOutput(options.wait === true);
}
