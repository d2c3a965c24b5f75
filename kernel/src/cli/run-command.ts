/**
 * `quire run NOTEBOOK.ipynb [-p name=value ...] [--out OUT.ipynb] [--check] [--cluster URL] [--workers N]`:
 * replays a notebook headless. Exit codes: 0 done, 1 a cell failed (its error saved in the output notebook),
 * 2 --check found different outputs, 3 the notebook or the arguments are not usable.
 */
import { parseArgs } from 'node:util';
import { NotebookFormatError, joinSource } from '../replay/notebook.js';
import { ParameterError, parseParameter, type Parameters } from '../replay/parameters.js';
import { replayNotebook } from '../replay/replay.js';
import type { Command } from './main.js';

const USAGE = 'usage: quire run NOTEBOOK.ipynb [-p name=value ...] [--out OUT.ipynb] [--check] [--cluster URL] [--workers N]\n';

export const command: Command = {
  summary: 'replay a notebook top to bottom (papermill-style parameters, --check compares outputs)',
  async run(argv) {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          parameter: { type: 'string', short: 'p', multiple: true },
          out: { type: 'string', short: 'o' },
          check: { type: 'boolean' },
          cluster: { type: 'string' },
          workers: { type: 'string' },
        },
      });
    } catch (error) {
      process.stderr.write(`quire run: ${(error as Error).message}\n${USAGE}`);
      return 3;
    }
    const { values, positionals } = parsed;
    if (positionals.length !== 1) {
      process.stderr.write(`quire run: expected one notebook, got ${positionals.length}\n${USAGE}`);
      return 3;
    }
    const parameters: Parameters = {};
    try {
      for (const text of values.parameter ?? []) {
        const [name, value] = parseParameter(text);
        parameters[name] = value;
      }
    } catch (error) {
      if (!(error instanceof ParameterError)) throw error;
      process.stderr.write(`quire run: ${error.message}\n`);
      return 3;
    }
    const workers = values.workers === undefined ? 2 : Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1) {
      process.stderr.write(`quire run: --workers must be a positive integer, got '${values.workers}'\n`);
      return 3;
    }
    const notebookPath = positionals[0]!;
    // Without --out a run updates the notebook in place; a --check alone leaves it untouched.
    const outPath = values.out ?? (values.check ? undefined : notebookPath);
    try {
      const result = await replayNotebook({
        notebookPath,
        outPath,
        parameters,
        check: values.check === true,
        cluster: values.cluster ?? process.env.QUIRE_CLUSTER,
        workers,
      });
      if (result.failedCell !== undefined) {
        const cell = result.notebook.cells[result.failedCell]!;
        const error = cell.cell_type === 'code' ? cell.outputs.find((o) => o.output_type === 'error') : undefined;
        process.stderr.write(`quire run: notebook cell ${result.failedCell + 1} failed${outPath ? ` (error saved in ${outPath})` : ''}\n`);
        if (error?.output_type === 'error') process.stderr.write(error.traceback.join('\n') + '\n');
        return 1;
      }
      if (result.differences.length > 0) {
        process.stderr.write(`quire run --check: outputs differ from the saved ones in ${result.differences.length} cell(s)\n`);
        for (const difference of result.differences) {
          const firstLine = joinSource(difference.source).split('\n')[0];
          process.stderr.write(`notebook cell ${difference.cellIndex + 1} (${firstLine}):\n${difference.lines.join('\n')}\n`);
        }
        return 2;
      }
      if (values.check) process.stderr.write('quire run --check: outputs match\n');
      return 0;
    } catch (error) {
      if (error instanceof NotebookFormatError) {
        process.stderr.write(`quire run: ${error.message}\n`);
        return 3;
      }
      throw error;
    }
  },
};
