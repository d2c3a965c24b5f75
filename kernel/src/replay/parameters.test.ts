import { describe, expect, it } from 'vitest';
import type { Notebook } from './notebook.js';
import { ParameterError, injectParameters, parseParameter } from './parameters.js';

const nb = (): Notebook => ({
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { cell_type: 'markdown', source: '# t', metadata: {} },
    { cell_type: 'code', source: 'const n = 1;', metadata: { tags: ['parameters'] }, execution_count: null, outputs: [] },
    { cell_type: 'code', source: 'n', metadata: {}, execution_count: null, outputs: [] },
  ],
});

describe('parameters', () => {
  it('reads JSON values and falls back to text', () => {
    expect(parseParameter('n=3')).toEqual(['n', 3]);
    expect(parseParameter('flag=true')).toEqual(['flag', true]);
    expect(parseParameter('path=data/x.parquet')).toEqual(['path', 'data/x.parquet']);
    expect(parseParameter('eq=a=b')).toEqual(['eq', 'a=b']);
    expect(() => parseParameter('novalue')).toThrow(ParameterError);
    expect(() => parseParameter('1x=2')).toThrow(/not a valid identifier/);
  });

  it('injects after the parameters cell, replacing an earlier injection', () => {
    const notebook = nb();
    injectParameters(notebook, { n: 5 });
    injectParameters(notebook, { n: 6, s: 'x' });
    expect(notebook.cells).toHaveLength(4);
    expect(notebook.cells[2]!.metadata).toEqual({ tags: ['injected-parameters'] });
    expect(notebook.cells[2]!.source).toBe('// Parameters\nconst n = 6;\nconst s = "x";');
  });
});
