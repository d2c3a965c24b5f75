import { h } from '../dom.js';
import type { Output, StreamOutput } from '../model/ipynb.js';
import { renderError } from './error-output.js';
import { pickRenderer } from './registry.js';
import { StreamOutputView } from './stream-output.js';
import type { MimeRenderer, OutputContext } from './types.js';

interface Rendered {
  output: Output;
  /** The data object last drawn, so an unchanged display is not redrawn. */
  data: unknown;
  element: HTMLElement;
  renderer?: MimeRenderer;
  stream?: StreamOutputView;
  dispose?: () => void;
}

/**
 * A cell's outputs. `update` is cheap to call on every IOPub message: it reconciles by position,
 * appends to a growing stream in place, and redraws only outputs whose data changed.
 */
export class OutputArea {
  readonly element = h('div', { class: 'outputs' });
  private rendered: Rendered[] = [];

  constructor(private readonly context: Omit<OutputContext, 'outputIndex' | 'metadata'>) {
    // Outputs out of view (tables, charts, long text of other cells) skip style, layout and paint, so a frame of
    // a long notebook costs what is on screen. `auto` keeps an output's last drawn height for the scrollbar.
    this.element.style.contentVisibility = 'auto';
    this.element.style.containIntrinsicSize = 'auto 120px';
  }

  update(outputs: Output[]): void {
    for (let i = 0; i < outputs.length; i++) {
      const output = outputs[i]!;
      const existing = this.rendered[i];
      if (existing && existing.output === output && existing.data === dataOf(output)) {
        existing.stream?.update(output as StreamOutput);
        continue;
      }
      if (existing && existing.output === output && this.redraw(existing, i)) continue;
      const next = this.render(output, i);
      if (existing) {
        existing.dispose?.();
        existing.element.replaceWith(next.element);
        this.rendered[i] = next;
      } else {
        this.element.append(next.element);
        this.rendered.push(next);
      }
    }
    for (const stale of this.rendered.splice(outputs.length)) {
      stale.dispose?.();
      stale.element.remove();
    }
    this.element.hidden = outputs.length === 0;
  }

  dispose(): void {
    this.update([]);
  }

  /** Moves a display to its updated data in place, when its renderer can; false when it must be drawn anew. */
  private redraw(existing: Rendered, outputIndex: number): boolean {
    const output = existing.output;
    if (output.output_type !== 'display_data' && output.output_type !== 'execute_result') return false;
    const renderer = existing.renderer;
    if (!renderer?.redraw || pickRenderer(output.data) !== renderer) return false;
    renderer.redraw(existing.element, output.data, { ...this.context, outputIndex, metadata: output.metadata ?? {} });
    existing.data = output.data;
    return true;
  }

  private render(output: Output, outputIndex: number): Rendered {
    const element = h('div', { class: 'output', 'data-output-type': output.output_type });
    if (output.output_type === 'stream') {
      const stream = new StreamOutputView(output.name);
      stream.update(output);
      element.append(stream.element);
      return { output, data: output, element, stream };
    }
    if (output.output_type === 'error') {
      element.append(renderError(output));
      return { output, data: output, element };
    }
    const renderer = pickRenderer(output.data);
    if (!renderer) {
      element.append(h('div', { class: 'output-warning' }, `No renderer for ${Object.keys(output.data).join(', ') || 'an empty output'}`));
      return { output, data: output.data, element };
    }
    element.dataset.mime = renderer.mimeType;
    const dispose = renderer.render(element, output.data, { ...this.context, outputIndex, metadata: output.metadata ?? {} }) ?? undefined;
    return { output, data: output.data, element, renderer, dispose };
  }
}

function dataOf(output: Output): unknown {
  return output.output_type === 'display_data' || output.output_type === 'execute_result' ? output.data : output;
}
