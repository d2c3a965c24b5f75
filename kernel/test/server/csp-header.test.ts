/** A real `quire serve` sends the UI's Content-Security-Policy as a response header on its HTML documents. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY_HEADER } from '../../src/server/content-security-policy.js';

const QUIRE = fileURLToPath(new URL('../../bin/quire.mjs', import.meta.url));
let child: ChildProcess;
let dir: string;
let url: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quire-csp-'));
  const ui = path.join(dir, 'ui');
  await mkdir(path.join(ui, 'assets'), { recursive: true });
  await writeFile(path.join(ui, 'index.html'), '<!doctype html><title>Quire</title>');
  await writeFile(path.join(ui, 'assets', 'main.js'), 'console.log(1)');
  await mkdir(path.join(dir, 'root'));
  child = spawn(process.execPath, [QUIRE, 'serve', '--port', '0', '--root', path.join(dir, 'root'), '--token', 'tok', '--static', ui, '--cluster', 'http://127.0.0.1:9/?token=none'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, QUIRE_BACKUP: '', QUIRE_NO_BROWSER: '1', XDG_CONFIG_HOME: dir },
  });
  let output = '';
  url = await new Promise<string>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+\/)\?token=tok/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`quire serve exited with ${code} before printing its URL: ${output}`)));
  });
}, 60_000);
afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await rm(dir, { recursive: true, force: true });
});

describe('Content-Security-Policy header', () => {
  it('comes with the UI page, at its root and at any single-page-app path', async () => {
    for (const page of ['', 'index.html', 'notebooks/some/deep/link']) {
      const response = await fetch(`${url}${page}?token=tok`);
      expect(response.status, page).toBe(200);
      expect(response.headers.get('content-type'), page).toMatch(/^text\/html/);
      expect(response.headers.get('content-security-policy'), page).toBe(CONTENT_SECURITY_POLICY_HEADER);
    }
    const policy = CONTENT_SECURITY_POLICY_HEADER;
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).toContain("default-src 'self'");
    expect(policy).not.toContain("'unsafe-eval'");
  });

  it('is not sent on scripts and other assets, which the page policy already governs', async () => {
    const script = await fetch(`${url}assets/main.js`, { headers: { Authorization: 'token tok' } });
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript');
    expect(script.headers.get('content-security-policy')).toBeNull();
  });
});
