/** `quire serve` as a real process: prints its URL, shuts kernels down on SIGTERM, and never tears a file when killed mid-save. */
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { notebook } from './test-notebooks.js';

const QUIRE = fileURLToPath(new URL('../../bin/quire.mjs', import.meta.url));
const started: Array<{ child: ChildProcess; root: string }> = [];

afterEach(async () => {
  for (const { child, root } of started.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await rm(root, { recursive: true, force: true });
  }
});

async function serve(): Promise<{ child: ChildProcess; url: string; root: string; exited: Promise<number | null> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'quire-serve-proc-'));
  const child = spawn(process.execPath, [QUIRE, 'serve', '--port', '0', '--root', root, '--token', 'tok', '--cluster', 'http://127.0.0.1:9/?token=none'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, QUIRE_BACKUP: '', XDG_CONFIG_HOME: root },
  });
  started.push({ child, root });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/)\?token=tok/.exec(output);
      if (match) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`quire serve exited with ${code} before printing its URL: ${output}`)));
  });
  return { child, url, root, exited };
}

function childPids(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' }).split('\n').map((s) => Number(s.trim())).filter((n) => n > 0);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('quire serve process', () => {
  it('prints its URL with the token and shuts every kernel down on SIGTERM', async () => {
    const { child, url, exited } = await serve();
    const headers = { Authorization: 'token tok', 'Content-Type': 'application/json' };
    for (let i = 0; i < 2; i++) expect((await fetch(`${url}api/kernels`, { method: 'POST', headers, body: JSON.stringify({ name: 'python3' }) })).status).toBe(201);
    const kernels = childPids(child.pid!);
    expect(kernels.length).toBeGreaterThanOrEqual(2);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    for (const pid of kernels) {
      await expect.poll(() => alive(pid), { timeout: 5000, message: `kernel process ${pid} outlived the server` }).toBe(false);
    }
  });

  it('leaves the old or the new notebook on disk when killed during saves, never a torn file', async () => {
    for (let round = 0; round < 3; round++) {
      const { child, url, root, exited } = await serve();
      const headers = { Authorization: 'token tok', 'Content-Type': 'application/json' };
      const small = notebook('old');
      expect((await fetch(`${url}api/contents/n.ipynb`, { method: 'PUT', headers, body: JSON.stringify({ type: 'notebook', format: 'json', content: small }) })).status).toBe(201);
      const bigSource = `new ${'x'.repeat(3 * 1024 * 1024)}`;
      const big = notebook(bigSource);
      const body = JSON.stringify({ type: 'notebook', format: 'json', content: big });
      const saves = Array.from({ length: 4 }, () => fetch(`${url}api/contents/n.ipynb`, { method: 'PUT', headers, body }).catch(() => undefined));
      await new Promise((resolve) => setTimeout(resolve, 20 + round * 60));
      child.kill('SIGKILL');
      await exited;
      await Promise.all(saves);
      const onDisk = JSON.parse(await readFile(path.join(root, 'n.ipynb'), 'utf8'));
      expect(['old', bigSource]).toContain(onDisk.cells[0].source);
    }
  });
});
