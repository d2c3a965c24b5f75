/** Notebooks executed on the quire kernel by Debian's nbclient and `jupyter nbconvert --execute`. */
import { copyFile, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PYTHON, installKernelInTempPrefix, run, type JupyterPrefix } from './jupyter-fixture.js';

const NOTEBOOKS = fileURLToPath(new URL('../../../notebooks/', import.meta.url));

interface ExecutedNotebook {
  cells: { cell_type: string; outputs?: { output_type: string; data?: Record<string, unknown>; text?: string | string[] }[] }[];
}

function outputTypes(notebook: ExecutedNotebook): string[] {
  return notebook.cells.flatMap((cell) => (cell.outputs ?? []).map((o) => o.output_type));
}

describe('Jupyter tools execute notebooks on the quire kernel', () => {
  let prefix: JupyterPrefix;
  beforeAll(async () => {
    prefix = await installKernelInTempPrefix();
  });
  afterAll(() => prefix?.dispose());

  it('jupyter nbconvert --execute runs cars.ipynb with charts and no errors', async () => {
    const result = await run(
      '/usr/bin/jupyter',
      ['nbconvert', '--to', 'notebook', '--execute', '--ExecutePreprocessor.kernel_name=quire', '--ExecutePreprocessor.timeout=120',
        join(NOTEBOOKS, 'cars.ipynb'), '--output-dir', prefix.dir, '--output', 'cars-nbconvert.ipynb'],
      { env: prefix.env },
    );
    expect(result.code, result.stderr).toBe(0);
    const executed = JSON.parse(await readFile(join(prefix.dir, 'cars-nbconvert.ipynb'), 'utf8')) as ExecutedNotebook;
    expect(outputTypes(executed)).not.toContain('error');
    const chart = executed.cells.flatMap((c) => c.outputs ?? []).find((o) => o.data?.['application/vnd.vegalite.v5+json']);
    // nbformat may store text as a list of lines.
    expect([chart?.data?.['image/svg+xml']].flat().join('')).toMatch(/^<svg/);
  }, 180_000);

  it('nbclient runs %%sql on the cluster and reports a failing cell as CellExecutionError with the cell line', async () => {
    const script = [
      'import sys, nbformat',
      'from nbclient import NotebookClient',
      'from nbclient.exceptions import CellExecutionError',
      'nb = nbformat.v4.new_notebook()',
      "nb.cells = [nbformat.v4.new_code_cell('const a: number = 2\\na * 21'), nbformat.v4.new_code_cell('%%sql -o answer\\nSELECT 41 + 1 AS answer'), nbformat.v4.new_code_cell('console.log(\"collecting\");\\n(await answer.collect())[0]'), nbformat.v4.new_code_cell('const b = 1\\nconst thing = JSON.parse(\"null\") as { boom(): void }\\nthing.boom()')]",
      "client = NotebookClient(nb, kernel_name='quire', timeout=170, resources={'metadata': {'path': sys.argv[1]}})",
      'try:',
      '    client.execute()',
      '    print("NO ERROR")',
      'except CellExecutionError as error:',
      "    print('first:', nb.cells[0].outputs[0]['data']['text/plain'])",
      "    sql = [o for o in nb.cells[1].outputs if o.get('output_type') == 'execute_result'][0]",
      "    print('sql mimes:', sorted(sql['data']))",
      "    print('sql text:', sql['data']['text/plain'].splitlines()[3])",
      "    print('bound:', nb.cells[2].outputs[-1]['data']['text/plain'])",
      // Job progress is withdrawn when a cell ends: no emptied display is left behind.
      "    print('output types:', [[o['output_type'] for o in cell.outputs] for cell in nb.cells])",
      "    print('empty outputs:', sum(1 for cell in nb.cells for o in cell.outputs if o.get('output_type') == 'display_data' and not o.get('data')))",
      "    print('error:', nb.cells[3].outputs[0]['ename'], nb.cells[3].outputs[0]['evalue'])",
      "    print('traceback:', ' | '.join(nb.cells[3].outputs[0]['traceback']))",
    ].join('\n');
    const file = join(prefix.dir, 'nbclient_check.py');
    await import('node:fs/promises').then((fs) => fs.writeFile(file, script));
    await copyFile(join(NOTEBOOKS, 'cars.ipynb'), join(prefix.dir, 'unused.ipynb'));
    const result = await run(PYTHON, ['-Xfrozen_modules=off', file, prefix.dir], { env: prefix.env, timeoutMs: 230_000 });
    expect(result.stdout, result.stderr).toContain('first: 42');
    expect(result.stdout, result.stderr).toContain("error: TypeError Cannot read properties of null (reading 'boom')");
    expect(result.stdout).toMatch(/traceback: .*cell 4:3:/);
    expect(result.stdout).toContain("sql mimes: ['application/vnd.apache.arrow.file', 'text/html', 'text/plain']");
    expect(result.stdout).toMatch(/sql text: \| 42 +\|/);
    expect(result.stdout).toContain('bound: { answer: 42 }');
    expect(result.stdout).toContain("output types: [['execute_result'], ['execute_result'], ['stream', 'execute_result'], ['error']]");
    expect(result.stdout).toContain('empty outputs: 0');
  }, 240_000);
});
