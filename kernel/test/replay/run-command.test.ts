/** `quire run`: replay, parameters, --check, failing cells and malformed notebooks, through the real CLI. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUIRE, run } from '../jupyter/jupyter-fixture.js';

const CARS = fileURLToPath(new URL('../../../notebooks/cars.ipynb', import.meta.url));
const FLIGHTS = fileURLToPath(new URL('../../../notebooks/flights.ipynb', import.meta.url));
const TPCH = fileURLToPath(new URL('../../../notebooks/tpch.ipynb', import.meta.url));
const TPCH_GENERATOR = fileURLToPath(new URL('../../../bench/tpch/generate.ts', import.meta.url));

function notebook(...sources: string[]): string {
  const cells = sources.map((source, i) => ({
    cell_type: 'code',
    id: `cell${i}`,
    metadata: source.startsWith('const limit') ? { tags: ['parameters'] } : {},
    execution_count: null,
    outputs: [],
    source,
  }));
  return JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells });
}

describe('quire run', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quire-run-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('replays the cars notebook and its outputs match the saved ones', async () => {
    const result = await run(process.execPath, [QUIRE, 'run', CARS, '--check']);
    expect(result.stderr).toContain('outputs match');
    expect(result.stderr).toMatch(/code cell 6\/6 ok/);
    expect(result.code).toBe(0);
  }, 120_000);

  it('replays the flights notebook on a transient cluster: SQL, DataFrame API, window, chart', async () => {
    const result = await run(process.execPath, [QUIRE, 'run', FLIGHTS, '--check', '--workers', '2']);
    expect(result.stderr).toContain('outputs match');
    expect(result.code).toBe(0);
  }, 180_000);

  it('replays the TPC-H notebook over freshly generated SF 0.01 tables', async () => {
    const data = join(dir, 'tpch');
    const generated = await run(process.execPath, ['--import', 'tsx', TPCH_GENERATOR, '--sf', '0.01', '--out', data]);
    expect(generated.code, generated.stderr).toBe(0);
    const result = await run(process.execPath, [QUIRE, 'run', TPCH, '--check', '-p', `tpchDir=${data}`]);
    expect(result.stderr).toContain('outputs match');
    expect(result.code).toBe(0);
  }, 180_000);

  it('--check with a changed parameter exits 2 with a readable diff', async () => {
    const result = await run(process.execPath, [QUIRE, 'run', CARS, '--check', '-p', 'minYear=1975']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('- 254 cars from USA since 1970');
    expect(result.stderr).toContain('+ 145 cars from USA since 1975');
  }, 120_000);

  it('injects parameters after the parameters cell and writes the executed notebook', async () => {
    const input = join(dir, 'params.ipynb');
    const out = join(dir, 'params-out.ipynb');
    await writeFile(input, notebook('const limit = 1;', 'console.log(`limit ${limit}`)\nlimit * 2'));
    const result = await run(process.execPath, [QUIRE, 'run', input, '-p', 'limit=21', '--out', out]);
    expect(result.code).toBe(0);
    const executed = JSON.parse(await readFile(out, 'utf8'));
    expect(executed.cells.map((c: { metadata: { tags?: string[] } }) => c.metadata.tags?.[0] ?? null)).toEqual(['parameters', 'injected-parameters', null]);
    expect(executed.cells[1].source).toContain('const limit = 21;');
    expect(executed.cells[2].outputs).toEqual([
      { output_type: 'stream', name: 'stdout', text: ['limit 21\n'] },
      { output_type: 'execute_result', execution_count: 3, data: { 'text/plain': '42' }, metadata: {} },
    ]);
    expect(executed.metadata.kernelspec.name).toBe('quire');
    // The input notebook is untouched when --out names another file.
    expect(JSON.parse(await readFile(input, 'utf8')).cells).toHaveLength(2);
  }, 60_000);

  it('stops at the first failing cell with its error saved, exit 1', async () => {
    const input = join(dir, 'failing.ipynb');
    await writeFile(input, notebook('1 + 1', "const n = 3;\nthrow new Error(`broken at ${n}`)", "'never runs'"));
    const result = await run(process.execPath, [QUIRE, 'run', input]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('notebook cell 2 failed');
    expect(result.stderr).toContain('Error: broken at 3');
    const saved = JSON.parse(await readFile(input, 'utf8'));
    expect(saved.cells[1].outputs[0]).toMatchObject({ output_type: 'error', ename: 'Error', evalue: 'broken at 3' });
    expect(saved.cells[1].outputs[0].traceback.join('\n')).toContain('cell 2:2:');
    expect(saved.cells[2].execution_count).toBeNull();
    expect(saved.cells[2].outputs).toEqual([]);
  }, 60_000);

  it('rejects a malformed notebook with a clear error', async () => {
    const broken = join(dir, 'broken.ipynb');
    await writeFile(broken, '{"nbformat": 4, "cells": [');
    let result = await run(process.execPath, [QUIRE, 'run', broken]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('is not a notebook: invalid JSON');

    await writeFile(broken, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', source: 42 }] }));
    result = await run(process.execPath, [QUIRE, 'run', broken]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('cell 1 has no source text');

    result = await run(process.execPath, [QUIRE, 'run', join(dir, 'missing.ipynb')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('cannot read notebook');

    result = await run(process.execPath, [QUIRE, 'run', broken, '-p', 'not an assignment']);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain("parameter 'not an assignment' is not name=value");
  }, 60_000);
});
