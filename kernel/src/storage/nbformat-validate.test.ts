import { describe, expect, it } from 'vitest';
import { validateNotebook } from './nbformat-validate.js';
import { readNotebookText } from './notebook-format.js';

const good = () => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: { kernelspec: { name: 'quire', display_name: 'Quire' }, language_info: { name: 'typescript' } },
  cells: [
    { id: 'md-1', cell_type: 'markdown', metadata: {}, source: ['# Title\n', 'text'] },
    {
      id: 'code_1',
      cell_type: 'code',
      metadata: {},
      source: 'x',
      execution_count: 2,
      outputs: [
        { output_type: 'execute_result', execution_count: 2, data: { 'text/plain': '1', 'application/vnd.vegalite.v5+json': { mark: 'bar' } }, metadata: {} },
        { output_type: 'stream', name: 'stderr', text: ['a', 'b'] },
        { output_type: 'error', ename: 'E', evalue: 'v', traceback: ['t'] },
      ],
    },
    { id: 'r', cell_type: 'raw', metadata: {}, source: '' },
  ],
});

describe('validateNotebook', () => {
  it('accepts a well-formed nbformat 4.5 notebook', () => {
    expect(validateNotebook(good())).toEqual([]);
  });

  it('names every problem with its location', () => {
    const nb = good() as Record<string, any>;
    nb.cells[0].id = 'bad id!';
    nb.cells[1].outputs[0].data['text/plain'] = 5;
    nb.cells[1].outputs[1].name = 'stdin';
    nb.cells[2].id = 'code_1';
    nb.cells.push({ id: 'z', cell_type: 'code', metadata: {}, source: 'x', outputs: [{ output_type: 'display' }], execution_count: 1.5, extra: 1 });
    nb.metadata.kernelspec = { name: 3 };
    expect(validateNotebook(nb)).toEqual([
      'metadata.kernelspec.name: must be a string',
      'metadata.kernelspec.display_name: must be a string',
      "cells[0].id: must be 1-64 characters of letters, digits, '-' or '_'",
      "cells[1].outputs[0].data['text/plain']: must be a string or list of strings",
      "cells[1].outputs[1].name: must be 'stdout' or 'stderr'",
      "cells[2].id: duplicate cell id 'code_1'",
      "cells[3]: unexpected property 'extra'",
      'cells[3].execution_count: must be an integer or null',
      'cells[3].outputs[0].output_type: unknown output type "display"',
    ]);
  });

  it('refuses other nbformat versions and non-objects', () => {
    expect(validateNotebook([])).toEqual(['notebook: must be a JSON object']);
    expect(validateNotebook({ ...good(), nbformat: 3 })).toContain('nbformat: must be 4, not 3');
  });

  it('upgrades a 4.4 notebook on read by giving its cells ids, and refuses a non-notebook', () => {
    const old = { nbformat: 4, nbformat_minor: 4, metadata: {}, cells: [{ cell_type: 'markdown', metadata: {}, source: 'hi' }] };
    const upgraded = readNotebookText(JSON.stringify(old), 'old.ipynb');
    expect(upgraded.nbformat_minor).toBe(5);
    expect(typeof upgraded.cells[0].id).toBe('string');
    expect(() => readNotebookText('', 'empty.ipynb')).toThrow(/empty\.ipynb is not valid JSON/);
    expect(() => readNotebookText('{}', 'x.ipynb')).toThrow(/x\.ipynb is not a valid nbformat 4\.5 notebook: notebook: missing required 'nbformat'/);
  });
});
