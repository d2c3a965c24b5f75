/**
 * A cell's output that remembers what it has shown so far, so one display can be withdrawn when the cell
 * ends (the job progress). Jupyter has no message that removes a single output, and an emptied display stays
 * in saved notebooks as an output with no data; so withdrawing clears the cell's outputs (with wait, so front
 * ends do not flicker) and shows the others again, display ids included, leaving exactly what a run without
 * the withdrawn display would have left.
 */
import type { DisplayBundle } from '../display/bundle.js';
import type { CellOutput } from './output.js';

type Shown =
  | { kind: 'stream'; name: 'stdout' | 'stderr'; text: string }
  | { kind: 'display'; bundle: DisplayBundle; displayId: string | undefined };

export class RecordedOutput implements CellOutput {
  private shown: Shown[] = [];
  private clearBeforeNextOutput = false;

  constructor(private readonly target: CellOutput) {}

  stream(name: 'stdout' | 'stderr', text: string): void {
    this.beforeOutput();
    const last = this.shown.at(-1);
    if (last?.kind === 'stream' && last.name === name) last.text += text;
    else this.shown.push({ kind: 'stream', name, text });
    this.target.stream(name, text);
  }

  display(bundle: DisplayBundle, displayId: string | undefined, update: boolean): void {
    if (update) {
      for (const shown of this.shown) if (shown.kind === 'display' && shown.displayId === displayId) shown.bundle = bundle;
    } else {
      this.beforeOutput();
      this.shown.push({ kind: 'display', bundle, displayId });
    }
    this.target.display(bundle, displayId, update);
  }

  clearOutput(wait: boolean): void {
    if (wait) this.clearBeforeNextOutput = true;
    else this.shown = [];
    this.target.clearOutput(wait);
  }

  /** Removes the display shown with this id; does nothing if it is not among this cell's outputs. */
  withdraw(displayId: string): void {
    const remaining = this.shown.filter((shown) => !(shown.kind === 'display' && shown.displayId === displayId));
    if (remaining.length === this.shown.length) return;
    this.shown = [];
    this.clearBeforeNextOutput = false;
    // With nothing to show again, a waiting clear would linger until some later output.
    this.target.clearOutput(remaining.length > 0);
    for (const shown of remaining) {
      if (shown.kind === 'stream') this.stream(shown.name, shown.text);
      else this.display(shown.bundle, shown.displayId, false);
    }
  }

  private beforeOutput(): void {
    if (!this.clearBeforeNextOutput) return;
    this.clearBeforeNextOutput = false;
    this.shown = [];
  }
}
