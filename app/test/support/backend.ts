import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from './static-server.js';

export const REPO = fileURLToPath(new URL('../../../', import.meta.url));
export const APP_DIST = join(REPO, 'app', 'dist');
const QUIRE = join(REPO, 'kernel', 'bin', 'quire.mjs');

/** A running notebook server with the built UI, for one test file. */
export interface Backend {
  kind: 'quire' | 'jupyter-server';
  /** Open this in the browser: the UI, pointed at the server, with the token. */
  uiUrl: string;
  baseUrl: string;
  token: string;
  /** The server's notebook root (a fresh temp folder). */
  root: string;
  /** What the server printed so far (stdout and stderr), to explain a failure. */
  output(): string;
  stop(): Promise<void>;
}

/** What the server is started with beyond a fresh root and token; storage options need `quire serve`. */
export interface BackendOptions {
  /** `--backup s3://BUCKET/PREFIX`: back every save up there, with version history. */
  backup?: string;
  /** `--shared s3://BUCKET/PREFIX`: the shared space notebooks are published to and forked from. */
  shared?: string;
  /** The AWS environment that reaches the S3 server (AWS_ENDPOINT_URL_S3, credentials, region). */
  s3Env?: Record<string, string>;
  /** Who publishes to the shared space (QUIRE_AUTHOR). */
  author?: string;
  /** Backup timing in ms (`--backup-debounce-ms` and the retry backoff), short in tests. */
  backupTiming?: { debounceMs?: number; backoffMs?: number; maxBackoffMs?: number };
  /** Workers of the server's local cluster (`--workers`). */
  workers?: number;
}

export function quireServeAvailable(): boolean {
  return existsSync(join(REPO, 'kernel', 'src', 'cli', 'serve-command.ts'));
}

/**
 * `quire serve` when it exists; otherwise Debian's Jupyter Server (python3-jupyter-server) with the
 * `quire` kernelspec, serving the UI from a loopback static server: both are real servers speaking
 * the same Jupyter REST/WebSocket API the UI uses.
 */
export async function startBackend(options: BackendOptions = {}): Promise<Backend> {
  if (!existsSync(join(APP_DIST, 'index.html'))) throw new Error(`the UI is not built: run \`npm run build -w app\` (no ${APP_DIST}/index.html)`);
  const useQuire = quireServeAvailable() && process.env.QUIRE_E2E_BACKEND !== 'jupyter-server';
  if (!useQuire && (options.backup || options.shared)) throw new Error('backups and the shared space need `quire serve`, not the Jupyter Server backend');
  const root = await mkdtemp(join(tmpdir(), 'quire-e2e-root-'));
  const token = randomBytes(16).toString('hex');
  try {
    return useQuire ? await startQuireServe(root, token, options) : await startJupyterServer(root, token);
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}

function quireServeArgs(root: string, token: string, options: BackendOptions): string[] {
  const args = ['serve', '--port', '0', '--root', root, '--token', token];
  const add = (flag: string, value: string | number | undefined) => value !== undefined && args.push(flag, String(value));
  add('--backup', options.backup);
  add('--shared', options.shared);
  add('--backup-debounce-ms', options.backupTiming?.debounceMs);
  add('--backup-backoff-ms', options.backupTiming?.backoffMs);
  add('--backup-max-backoff-ms', options.backupTiming?.maxBackoffMs);
  add('--workers', options.workers);
  return args;
}

async function startQuireServe(root: string, token: string, options: BackendOptions): Promise<Backend> {
  const child = spawn(process.execPath, [QUIRE, ...quireServeArgs(root, token, options)], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, QUIRE_NO_BROWSER: '1', ...options.s3Env, ...(options.author ? { QUIRE_AUTHOR: options.author } : {}) },
  });
  stopOnExit(child);
  const output = collectOutput(child);
  // `quire serve` also prints its cluster's URL (with a redacted token) first: the notebook server's
  // line is the one carrying our token.
  let baseUrl: string;
  try {
    baseUrl = await waitForUrl(child, new RegExp(`(http://127\\.0\\.0\\.1:\\d+)/\\?token=${token}`), 120_000);
    await waitForApi(`${baseUrl}/api/kernelspecs?token=${token}`, child, 60_000);
  } catch (error) {
    await stopChild(child);
    throw error;
  }
  return {
    kind: 'quire',
    uiUrl: `${baseUrl}/?token=${token}`,
    baseUrl: `${baseUrl}/`,
    token,
    root,
    output,
    stop: async () => {
      await stopChild(child);
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function startJupyterServer(root: string, token: string): Promise<Backend> {
  const jupyterDir = await mkdtemp(join(tmpdir(), 'quire-e2e-jupyter-'));
  const install = spawn(process.execPath, [QUIRE, 'kernel', 'install', '--prefix', jupyterDir], { cwd: REPO, stdio: 'inherit' });
  const code = await new Promise<number | null>((resolve) => install.on('exit', resolve));
  if (code !== 0) throw new Error(`quire kernel install exited with ${code}`);
  const port = await freePort();
  const child = spawn('/usr/bin/python3', [
    '-m', 'jupyter_server', '--no-browser', `--ServerApp.port=${port}`, '--ServerApp.port_retries=0', '--ServerApp.ip=127.0.0.1',
    `--ServerApp.token=${token}`, `--ServerApp.root_dir=${root}`, "--ServerApp.allow_origin=*", '--ServerApp.disable_check_xsrf=True', '--allow-root',
  ], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      JUPYTER_PATH: join(jupyterDir, 'share', 'jupyter'),
      JUPYTER_CONFIG_DIR: join(jupyterDir, 'config'),
      JUPYTER_DATA_DIR: join(jupyterDir, 'data'),
      JUPYTER_RUNTIME_DIR: join(jupyterDir, 'runtime'),
    },
  });
  stopOnExit(child);
  const output = collectOutput(child);
  const baseUrl = `http://127.0.0.1:${port}`;
  let ui: Awaited<ReturnType<typeof serveStatic>>;
  try {
    await waitForApi(`${baseUrl}/api/kernelspecs?token=${token}`, child, 60_000);
    ui = await serveStatic(APP_DIST);
  } catch (error) {
    await stopChild(child);
    await rm(jupyterDir, { recursive: true, force: true });
    throw error;
  }
  const uiUrl = `${ui.url}?server=${encodeURIComponent(baseUrl + '/')}&token=${token}`;
  return {
    kind: 'jupyter-server',
    uiUrl,
    baseUrl: `${baseUrl}/`,
    token,
    root,
    output,
    stop: async () => {
      await ui.close();
      await stopChild(child);
      await rm(root, { recursive: true, force: true });
      await rm(jupyterDir, { recursive: true, force: true });
    },
  };
}

/** Keeps the last 64 KiB a server printed. */
function collectOutput(child: ChildProcess): () => string {
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-64 * 1024);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return () => output;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function waitForUrl(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`no server URL within ${timeoutMs} ms; output:\n${output}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before printing its URL; output:\n${output}`));
    });
  });
}

async function waitForApi(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}); output:\n${output}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms; output:\n${output}`);
}

/**
 * A server left behind by a test run that ended without its afterAll (a crash, a timeout killing the worker)
 * would keep its cluster running: stop it when this process exits, whatever the reason.
 */
function stopOnExit(child: ChildProcess): void {
  const kill = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.once('exit', kill);
  child.once('exit', () => process.off('exit', kill));
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
