import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

/** The `quire` command of this repository (or of the packaged app, which keeps the same layout). */
export const QUIRE_BIN = fileURLToPath(new URL('../../../kernel/bin/quire.mjs', import.meta.url));

export interface ServerProcessOptions {
  root: string;
  /** The `quire` command to run; this repository's by default. */
  quireBin?: string;
  /** 0 (the default) lets the OS pick a free port. */
  port?: number;
  /** A fresh random token when absent. */
  token?: string;
  /** The Node to run `quire serve` with: Node itself, or Electron's binary with ELECTRON_RUN_AS_NODE=1. */
  execPath?: string;
  env?: NodeJS.ProcessEnv;
  staticDir?: string;
  /** Each line the server writes (stdout and stderr), e.g. to show in a terminal or log file. */
  onOutput?: (line: string) => void;
  /** How long to wait for the server to print its URL (it starts the local cluster first). */
  startTimeoutMs?: number;
}

export interface ServerProcess {
  /** The URL to open, with the token: `http://127.0.0.1:PORT/?token=T`. */
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  /** Resolves with the server's exit code once it has exited (null when killed by a signal). */
  exited: Promise<number | null>;
  /** SIGTERM (the server shuts down its kernels and cluster), then SIGKILL of its process group after `graceMs`. */
  stop(graceMs?: number): Promise<number | null>;
}

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

/** The `http://127.0.0.1:PORT/?token=T` line `quire serve` prints once it listens, or undefined. */
export function parseServerUrl(line: string): { url: string; origin: string; token: string } | undefined {
  const match = /^\s*(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)\s*$/.exec(line);
  if (!match) return undefined;
  return { url: `${match[1]}/?token=${match[2]}`, origin: match[1], token: match[2] };
}

export function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const token = options.token ?? newToken();
  const args = [options.quireBin ?? QUIRE_BIN, 'serve', '--port', String(options.port ?? 0), '--root', options.root, '--token', token];
  if (options.staticDir) args.push('--static', options.staticDir);
  // Its own process group: a terminal's Ctrl-C reaches only our process, which stops the server once and
  // in order (a second SIGINT would kill it before it has stopped its kernels and cluster).
  const child = spawn(options.execPath ?? process.execPath, args, {
    env: options.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32',
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const recentOutput: string[] = [];

  return new Promise<ServerProcess>((resolve, reject) => {
    let started = false;
    const timer = setTimeout(() => {
      void stop(child, exited, 2000);
      reject(new Error(`quire serve printed no URL within ${options.startTimeoutMs ?? 120_000} ms${tail(recentOutput)}`));
    }, options.startTimeoutMs ?? 120_000);

    const onLine = (line: string) => {
      options.onOutput?.(line);
      recentOutput.push(line);
      if (recentOutput.length > 20) recentOutput.shift();
      const found = started ? undefined : parseServerUrl(line);
      if (!found || found.token !== token) return;
      started = true;
      clearTimeout(timer);
      resolve({ ...found, child, exited, stop: (graceMs = 15_000) => stop(child, exited, graceMs) });
    };
    forwardLines(child.stdout!, onLine);
    forwardLines(child.stderr!, onLine);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`could not run quire serve (${options.execPath ?? process.execPath}): ${error.message}`));
    });
    void exited.then((code) => {
      if (started) return;
      clearTimeout(timer);
      reject(new Error(`quire serve exited (code ${code}) before it was ready${tail(recentOutput)}`));
    });
  });
}

async function stop(child: ChildProcess, exited: Promise<number | null>, graceMs: number): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => {
    // The server did not finish shutting down: end it and anything it started in its process group.
    try {
      if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }, graceMs);
  try {
    return await exited;
  } finally {
    clearTimeout(timer);
  }
}

function forwardLines(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (pending) onLine(pending);
  });
}

function tail(lines: string[]): string {
  return lines.length ? `:\n${lines.join('\n')}` : '';
}
