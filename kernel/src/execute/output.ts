/** Where a running cell's output goes: the kernel publishes it on iopub, replay collects it into the notebook. */
import type { DisplaySink } from '../display/display-api.js';

export interface CellOutput extends DisplaySink {
  stream(name: 'stdout' | 'stderr', text: string): void;
}
