import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { CellModel, NotebookModel } from '../model/notebook-model.js';
import type { DisplayOutput, MimeBundle, Output } from '../model/ipynb.js';

/**
 * Runs code cells on a kernel and folds the kernel's IOPub messages into the cells' outputs:
 * streams are appended to the previous stream of the same name (so 100,000 printed lines stay one
 * output), `update_display_data` replaces every output carrying the same display_id, and
 * `clear_output(wait)` is honoured. Cells run one after another in the order they were queued.
 */
export class CellRunner {
  private queue: Promise<void> = Promise.resolve();
  private displays = new Map<string, Array<{ cell: CellModel; output: DisplayOutput }>>();

  constructor(
    private readonly model: NotebookModel,
    private readonly kernel: () => Kernel.IKernelConnection | null,
  ) {}

  run(cell: CellModel): Promise<void> {
    if (cell.type !== 'code') return Promise.resolve();
    cell.runState = 'queued';
    this.model.emit({ kind: 'cell-changed', cell, what: 'state' });
    const done = this.queue.then(() => this.execute(cell));
    this.queue = done.catch(() => undefined);
    return done;
  }

  private async execute(cell: CellModel): Promise<void> {
    const kernel = this.kernel();
    if (!kernel) {
      cell.runState = 'idle';
      cell.outputs = [errorOutput('NoKernel', 'no kernel is running for this notebook: restart the kernel')];
      this.changed(cell, 'outputs');
      this.changed(cell, 'state');
      return;
    }
    cell.outputs = [];
    cell.runState = 'running';
    this.changed(cell, 'outputs');
    this.changed(cell, 'state');
    const started = performance.now();
    let clearPending = false;
    const future = kernel.requestExecute({ code: cell.source, stop_on_error: true, store_history: true });
    future.onIOPub = (msg) => {
      if (clearPending && msg.header.msg_type !== 'clear_output' && msg.header.msg_type !== 'status') {
        cell.outputs = [];
        clearPending = false;
      }
      clearPending = this.handleIOPub(cell, msg) || clearPending;
    };
    try {
      const reply = await future.done;
      if (reply.content.status === 'ok' || reply.content.status === 'error') {
        cell.executionCount = reply.content.execution_count;
      }
      if (reply.content.status === 'abort' || (reply.content.status as string) === 'aborted') {
        cell.outputs.push(errorOutput('Aborted', 'the run was aborted because an earlier cell failed'));
      }
    } catch (error) {
      cell.outputs.push(errorOutput('KernelError', error instanceof Error ? error.message : String(error)));
    } finally {
      future.dispose();
      cell.runState = 'idle';
      cell.lastDurationMs = performance.now() - started;
      cell.metadata = { ...cell.metadata, quire: { ...(cell.metadata.quire as object), durationMs: cell.lastDurationMs } };
      this.model.markDirty();
      this.changed(cell, 'outputs');
      this.changed(cell, 'state');
    }
  }

  /** Returns true when the message asks to clear outputs once the next output arrives. */
  private handleIOPub(cell: CellModel, msg: KernelMessage.IIOPubMessage): boolean {
    const type = msg.header.msg_type;
    const content = msg.content as Record<string, any>;
    switch (type) {
      case 'stream': {
        const last = cell.outputs[cell.outputs.length - 1];
        if (last?.output_type === 'stream' && last.name === content.name) last.text += content.text;
        else cell.outputs.push({ output_type: 'stream', name: content.name, text: content.text });
        break;
      }
      case 'display_data':
      case 'execute_result': {
        const output: DisplayOutput = {
          output_type: type,
          data: content.data as MimeBundle,
          metadata: (content.metadata ?? {}) as Record<string, unknown>,
          ...(type === 'execute_result' ? { execution_count: content.execution_count } : {}),
        };
        const displayId = content.transient?.display_id as string | undefined;
        if (displayId) {
          output.transient = { display_id: displayId };
          const shown = this.displays.get(displayId) ?? [];
          shown.push({ cell, output });
          this.displays.set(displayId, shown);
        }
        cell.outputs.push(output);
        break;
      }
      case 'update_display_data': {
        const displayId = content.transient?.display_id as string | undefined;
        for (const shown of (displayId && this.displays.get(displayId)) || []) {
          shown.output.data = content.data as MimeBundle;
          shown.output.metadata = (content.metadata ?? {}) as Record<string, unknown>;
          this.changed(shown.cell, 'outputs');
        }
        return false;
      }
      case 'error':
        cell.outputs.push({
          output_type: 'error',
          ename: content.ename,
          evalue: content.evalue,
          traceback: content.traceback ?? [],
        });
        break;
      case 'clear_output':
        if (content.wait) return true;
        cell.outputs = [];
        break;
      default:
        return false;
    }
    this.changed(cell, 'outputs');
    return false;
  }

  private changed(cell: CellModel, what: 'outputs' | 'state'): void {
    this.model.emit({ kind: 'cell-changed', cell, what });
  }
}

function errorOutput(ename: string, evalue: string): Output {
  return { output_type: 'error', ename, evalue, traceback: [] };
}
