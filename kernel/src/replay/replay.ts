/**
 * Headless replay: runs a notebook's code cells top to bottom in-process on the same Executor the kernel
 * uses, and records their outputs as a Jupyter front end would. Stops at the first failing cell.
 */
import { dirname, resolve } from 'node:path';
import ts from 'typescript';
import { Executor } from '../execute/executor.js';
import { KERNEL_NAME } from '../protocol/kernelspec.js';
import { compareOutputs, type CellDifference } from './compare.js';
import { joinSource, readNotebook, splitLines, writeNotebookAtomically, type CodeCell, type Notebook } from './notebook.js';
import { OutputCollector } from './output-collector.js';
import { injectParameters, type Parameters } from './parameters.js';
import { ReplayProgress } from './progress.js';

export interface ReplayOptions {
  notebookPath: string;
  /** Where the executed notebook is written; none (a pure --check) writes nothing. */
  outPath?: string;
  parameters: Parameters;
  check: boolean;
  cluster?: string;
  workers: number;
  progress?: ReplayProgress | false;
}

export interface ReplayResult {
  notebook: Notebook;
  /** 0-based index of the cell that failed, if one did. */
  failedCell?: number;
  differences: CellDifference[];
}

export async function replayNotebook(options: ReplayOptions): Promise<ReplayResult> {
  const saved = await readNotebook(options.notebookPath);
  const notebook = structuredClone(saved) as Notebook;
  injectParameters(notebook, options.parameters);
  if (Object.keys(options.parameters).length > 0) injectParameters(saved, options.parameters);

  const executor = new Executor({
    notebookDir: dirname(resolve(options.notebookPath)),
    // On a shared cluster the replay's jobs are the notebook's, shared fairly with other notebooks'.
    engine: { cluster: options.cluster, workers: options.workers, owner: `replay ${resolve(options.notebookPath)}` },
  });
  const codeCells = notebook.cells.filter((cell): cell is CodeCell => cell.cell_type === 'code');
  const progress = options.progress === false ? undefined : (options.progress ?? new ReplayProgress(codeCells.length));
  let failedCell: number | undefined;
  let executionCount = 0;
  // Cells read files relative to the notebook, as they do when Jupyter starts a kernel in its folder.
  const previousDirectory = process.cwd();
  process.chdir(dirname(resolve(options.notebookPath)));
  try {
    for (const [position, cell] of codeCells.entries()) {
      const source = joinSource(cell.source);
      const firstLine = source.split('\n').find((line) => line.trim()) ?? '';
      const collector = new OutputCollector();
      const started = Date.now();
      progress?.start(position + 1, firstLine);
      const count = ++executionCount;
      const outcome = await executor.execute(source, count, collector);
      if (outcome.status === 'ok' && outcome.result) {
        collector.add({ output_type: 'execute_result', execution_count: count, data: outcome.result.data, metadata: outcome.result.metadata });
      }
      if (outcome.status === 'error') collector.add({ output_type: 'error', ...outcome.error });
      cell.outputs = collector.outputs.map((output) => (output.output_type === 'stream' ? { ...output, text: splitLines(output.text as string) } : output));
      cell.execution_count = count;
      progress?.finish(position + 1, firstLine, outcome.status === 'ok' ? 'ok' : 'failed', Date.now() - started);
      if (outcome.status === 'error') {
        failedCell = notebook.cells.indexOf(cell);
        break;
      }
    }
  } finally {
    process.chdir(previousDirectory);
    await executor.shutdown();
  }
  stampKernel(notebook);
  if (options.outPath) await writeNotebookAtomically(options.outPath, notebook);
  const differences = options.check && failedCell === undefined ? compareOutputs(saved.cells, notebook.cells) : [];
  return { notebook, failedCell, differences };
}

function stampKernel(notebook: Notebook): void {
  notebook.metadata.kernelspec = { name: KERNEL_NAME, display_name: 'Quire (TypeScript)', language: 'typescript' };
  notebook.metadata.language_info = { name: 'typescript', version: ts.version, mimetype: 'text/typescript', file_extension: '.ts' };
}
