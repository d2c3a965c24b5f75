import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// `npm start` for real: scripts/start.mjs, the `quire serve` it starts (with its local cluster), and the
// process tree it must leave behind on SIGTERM. The UI it serves is a small stand-in build (--static),
// so the test neither rebuilds nor races the shared app/dist.
const START = fileURLToPath(new URL('../../../scripts/start.mjs', import.meta.url));
const URL_LINE = /^\s+(http:\/\/127\.0\.0\.1:\d+)\/\?token=([0-9a-f]{48})$/m;

let dir: string;
let started: ChildProcess | undefined;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quire-start-'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Quire UI stand-in</title>');
});

afterEach(async () => {
  if (started && started.exitCode === null && started.signalCode === null) started.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

async function runStart(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [START, '--root', dir, '--static', dir, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  started = child;
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const found = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 90 s\n${stdout}\n${stderr}`)), 90_000);
    child.stdout!.on('data', () => {
      const match = URL_LINE.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    });
    child.once('exit', (code) => reject(new Error(`start.mjs exited (${code}) before printing a URL\n${stdout}\n${stderr}`)));
  });
  return { child, origin: found[1], token: found[2], output: () => ({ stdout, stderr }) };
}

/** Every process below `pid` (Linux /proc), so the test can see what a stop leaves behind. */
async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = await readFile(`/proc/${entry}/stat`, 'utf8').catch(() => '');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields.length > 1) parents.set(Number(entry), Number(fields[1]));
  }
  const found: number[] = [];
  const visit = (parent: number) => {
    for (const [child, ppid] of parents) if (ppid === parent) (found.push(child), visit(child));
  };
  visit(pid);
  return found;
}

async function alive(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => undefined);
  return stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

async function expectServesUiThenStopsCleanly(run: Awaited<ReturnType<typeof runStart>>, signal: NodeJS.Signals) {
  const withToken = await fetch(`${run.origin}/?token=${run.token}`);
  expect(withToken.status).toBe(200);
  expect(await withToken.text()).toContain('Quire UI stand-in');
  expect((await fetch(`${run.origin}/`)).status).toBe(403);
  expect((await fetch(`${run.origin}/?token=${'0'.repeat(48)}`)).status).toBe(403);

  const tree = await descendants(run.child.pid!);
  const commands = await Promise.all(tree.map((pid) => readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '')));
  // The server and the local cluster it started are all below npm start: that is what must go.
  expect(commands.some((command) => command.includes('quire.mjs\0serve'))).toBe(true);
  expect(commands.some((command) => command.includes('quire-master'))).toBe(true);
  const exited = new Promise<number | null>((resolve) => run.child.once('exit', (code) => resolve(code)));
  run.child.kill(signal);
  expect(await exited).toBe(0);
  const deadline = Date.now() + 15_000;
  let left = tree;
  while (left.length && Date.now() < deadline) {
    left = (await Promise.all(tree.map(async (pid) => ((await alive(pid)) ? pid : 0)))).filter(Boolean);
    if (left.length) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  expect(left, `processes left after ${signal}: ${left.join(', ')}`).toEqual([]);
}

describe('npm start in browser mode', () => {
  it('--browser prints a URL with a fresh token, serves the UI only with it, and SIGTERM stops everything', async () => {
    const run = await runStart(['--browser'], process.env);
    expect(run.output().stdout).toContain('Open this URL in your browser');
    await expectServesUiThenStopsCleanly(run, 'SIGTERM');
  }, 120_000);

  it('falls back to browser mode, saying why, when Electron cannot run here; Ctrl-C (SIGINT) stops everything', async () => {
    const env = { ...process.env };
    delete env.DISPLAY;
    delete env.WAYLAND_DISPLAY;
    const run = await runStart([], env);
    expect(run.output().stderr).toMatch(/npm start: (Electron is not usable|Electron needs a display).*; opening Quire in browser mode instead/);
    await expectServesUiThenStopsCleanly(run, 'SIGINT');
  }, 120_000);

  it('refuses a bad option with the usage', async () => {
    const child = spawn(process.execPath, [START, '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("--port must be a port number (0-65535), not 'eighty'");
  }, 30_000);
});
