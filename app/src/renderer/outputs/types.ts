import type { ServerConnection } from '@jupyterlab/services';
import type { CellModel, NotebookModel } from '../model/notebook-model.js';
import type { MimeBundle } from '../model/ipynb.js';

/** What an output renderer may use besides the data: the cell (for metadata such as a saved chart). */
export interface OutputContext {
  model: NotebookModel;
  cell: CellModel;
  /** Position of the output in the cell, so per-output metadata survives a re-run. */
  outputIndex: number;
  /** The output's metadata (e.g. the Arrow payload's total `rowCount`). */
  metadata: Record<string, unknown>;
  settings: ServerConnection.ISettings;
}

/** Renders one mime type. `render` fills `host`; it may return a disposer for timers or views. */
export interface MimeRenderer {
  mimeType: string;
  render(host: HTMLElement, data: MimeBundle, context: OutputContext): void | (() => void);
  /**
   * Draws newer data of the same display (`update_display_data`) into what `render` drew, keeping its elements
   * and so the pointer, hover and focus on them. Without it, the output is drawn anew.
   */
  redraw?(host: HTMLElement, data: MimeBundle, context: OutputContext): void;
}

/** Output text past this many characters is cut, with a "show more" button to reveal the next part. */
export const OUTPUT_TEXT_LIMIT = 20_000;
