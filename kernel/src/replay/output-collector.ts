/** Collects a cell's output as nbformat outputs, as a Jupyter front end would from iopub messages. */
import type { DisplayBundle } from '../display/bundle.js';
import type { CellOutput } from '../execute/output.js';
import type { Output } from './notebook.js';

export class OutputCollector implements CellOutput {
  readonly outputs: Output[] = [];
  /** Where each display_id's output sits, for update_display_data. */
  private readonly displays = new Map<string, Output & { output_type: 'display_data' }>();
  private clearOnNextOutput = false;

  stream(name: 'stdout' | 'stderr', text: string): void {
    this.beforeOutput();
    const last = this.outputs.at(-1);
    if (last?.output_type === 'stream' && last.name === name) last.text = `${last.text as string}${text}`;
    else this.outputs.push({ output_type: 'stream', name, text });
  }

  display(bundle: DisplayBundle, displayId: string | undefined, update: boolean): void {
    if (update) {
      const shown = displayId ? this.displays.get(displayId) : undefined;
      if (shown) {
        shown.data = bundle.data;
        shown.metadata = bundle.metadata;
      }
      return;
    }
    this.beforeOutput();
    const output = { output_type: 'display_data' as const, data: bundle.data, metadata: bundle.metadata };
    this.outputs.push(output);
    if (displayId) this.displays.set(displayId, output);
  }

  clearOutput(wait: boolean): void {
    if (wait) this.clearOnNextOutput = true;
    else this.clear();
  }

  add(output: Output): void {
    this.beforeOutput();
    this.outputs.push(output);
  }

  private beforeOutput(): void {
    if (this.clearOnNextOutput) this.clear();
  }

  private clear(): void {
    this.clearOnNextOutput = false;
    this.outputs.length = 0;
    this.displays.clear();
  }
}
