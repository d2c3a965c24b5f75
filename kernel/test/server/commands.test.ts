/** The backup, history, restore and export commands as a user runs them, against a real s3rver. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startS3rver, type S3Fixture } from '@quire/engine/testing';
import { notebook } from './test-notebooks.js';

const QUIRE = fileURLToPath(new URL('../../bin/quire.mjs', import.meta.url));
const execFileAsync = promisify(execFile);
let s3: S3Fixture;
let root: string;

beforeAll(async () => {
  s3 = await startS3rver('notebooks');
  root = await mkdtemp(path.join(os.tmpdir(), 'quire-commands-'));
});
afterAll(async () => {
  await s3?.stop();
  await rm(root, { recursive: true, force: true });
});

async function quire(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [QUIRE, ...args], {
      cwd: root,
      env: { ...process.env, ...s3.env, QUIRE_BACKUP: `s3://${s3.bucket}/cli`, XDG_CONFIG_HOME: root },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('quire backup / history / restore', () => {
  it('backs up, lists and diffs versions, and restores one', async () => {
    await writeFile(path.join(root, 'report.ipynb'), JSON.stringify(notebook('total = 1')));
    const first = await quire('backup', '--all');
    expect(first.stdout).toMatch(/^synced\s+report\.ipynb$/m);
    expect(first.code).toBe(0);
    await writeFile(path.join(root, 'report.ipynb'), JSON.stringify(notebook('total = 2')));
    expect((await quire('backup', 'report.ipynb')).code).toBe(0);

    const listed = await quire('history', 'report.ipynb');
    const versions = listed.stdout.trim().split('\n').map((line) => line.split(/\s+/)[0]);
    expect(versions).toHaveLength(2);
    const diff = await quire('history', 'report.ipynb', '--diff', versions[0], '--to', versions[1]);
    expect(diff.stdout).toContain('~ [code c1] modified (source)');
    expect(diff.stdout).toContain('- total = 1');
    expect(diff.stdout).toContain('+ total = 2');
    const shown = await quire('history', 'report.ipynb', '--show', versions[0]);
    expect(JSON.parse(shown.stdout).cells[0].source).toBe('total = 1');

    const restored = await quire('restore', 'report.ipynb', '--version', versions[0]);
    expect(restored.code).toBe(0);
    expect(JSON.parse(await readFile(path.join(root, 'report.ipynb'), 'utf8')).cells[0].source).toBe('total = 1');
    const after = await quire('history', 'report.ipynb');
    // v1, v2, the replaced content (v2 again, new time) and the restored save.
    expect(after.stdout.trim().split('\n').length).toBeGreaterThanOrEqual(3);
    expect(JSON.parse(await s3.text('cli/report.ipynb')).cells[0].source).toBe('total = 1');
  });

  it('explains what is wrong', async () => {
    const missing = await quire('restore', 'report.ipynb');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--version VERSION');
    const unknown = await quire('history', 'report.ipynb', '--bogus');
    expect(unknown.stderr).toContain('unknown option --bogus');
  });
});

describe('quire export --html', () => {
  it('writes standalone HTML with markdown, code, tables and SVG charts, sanitized', async () => {
    const nb = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {},
      cells: [
        { id: 'm', cell_type: 'markdown', metadata: {}, source: '# Sales\n\nSome *notes* <img src=x onerror="alert(1)">' },
        {
          id: 'c',
          cell_type: 'code',
          metadata: {},
          source: 'df.show() && x < 3',
          execution_count: 3,
          outputs: [
            { output_type: 'stream', name: 'stdout', text: 'rows: 2\n' },
            { output_type: 'display_data', metadata: {}, data: { 'text/html': '<table><tr><th>region</th></tr><tr><td>north</td></tr></table><script>alert(2)</script>', 'text/plain': 'table' } },
            { output_type: 'display_data', metadata: {}, data: { 'image/svg+xml': '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10" onload="alert(3)"/></svg>', 'application/vnd.vegalite.v5+json': {} } },
          ],
        },
      ],
    };
    await writeFile(path.join(root, 'sales.ipynb'), JSON.stringify(nb));
    const result = await quire('export', 'sales.ipynb', '--html');
    expect(result.code).toBe(0);
    const html = await readFile(path.join(root, 'sales.html'), 'utf8');
    expect(html).toContain('<h1>Sales</h1>');
    expect(html).toContain('df.show() &amp;&amp; x &lt; 3');
    expect(html).toContain('<td>north</td>');
    expect(html).toContain('<rect width="10" height="10"');
    expect(html).toContain('rows: 2');
    expect(html).not.toMatch(/<script|onerror|onload|alert\(/);
  });
});
