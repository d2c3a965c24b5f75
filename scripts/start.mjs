#!/usr/bin/env node
// `npm start`: builds the UI when app/dist is missing or stale, then opens Quire in Electron where it can
// run, else serves it for a browser at a printed URL. Options: --root DIR, --port N, --browser (skip
// Electron), --static DIR (serve that UI build as is, no build). The helpers are TypeScript in
// app/src/main, shared with the Electron main process, so this registers tsx like kernel/bin/quire.mjs.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { register } from 'tsx/esm/api';

register();
const { uiBuildReason } = await import('../app/src/main/ui-build.ts');
const { findElectron } = await import('../app/src/main/electron-binary.ts');
const { resolveNotebookRoot } = await import('../app/src/main/notebook-root.ts');
const { startServerProcess } = await import('../app/src/main/server-process.ts');

const USAGE = 'usage: npm start -- [--root DIR] [--port N] [--browser] [--static DIR]';
const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const appDir = path.join(repoRoot, 'app');

function fail(message, code = 2) {
  process.stderr.write(`npm start: ${message}\n`);
  process.exit(code);
}

let options;
try {
  ({ values: options } = parseArgs({
    options: {
      root: { type: 'string' },
      port: { type: 'string' },
      browser: { type: 'boolean', default: false },
      static: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }));
} catch (error) {
  fail(`${error.message}\n${USAGE}`);
}
if (options.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
const port = options.port === undefined ? 0 : Number(options.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be a port number (0-65535), not '${options.port}'`);

if (options.static === undefined) {
  const reason = await uiBuildReason(appDir);
  if (reason) {
    process.stderr.write(`npm start: ${reason}; building it (npm run build -w app)\n`);
    const npm = process.env.npm_execpath
      ? [process.execPath, [process.env.npm_execpath, 'run', 'build', '-w', 'app']]
      : [process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build', '-w', 'app']];
    const build = spawnSync(npm[0], npm[1], { cwd: repoRoot, stdio: ['ignore', 'inherit', 'inherit'] });
    if (build.error || build.status !== 0) fail(`the UI build failed (${build.error?.message ?? `exit code ${build.status}`})`, 1);
  }
}

const root = await resolveNotebookRoot(options.root);

if (!options.browser) {
  const electron = findElectron(appDir);
  if (electron.available) {
    if (options.port !== undefined || options.static !== undefined) {
      process.stderr.write('npm start: --port and --static apply to browser mode only; the app picks its own port\n');
    }
    runElectron(electron.binary);
  } else {
    process.stderr.write(`npm start: ${electron.reason}; opening Quire in browser mode instead\n`);
    await runBrowserMode();
  }
} else {
  await runBrowserMode();
}

function runElectron(binary) {
  // Its own process group, so a terminal's Ctrl-C reaches only this process, which asks Electron to quit
  // once: a second signal makes Electron exit at once, before it has stopped its notebook server.
  const child = spawn(binary, [appDir], {
    stdio: 'inherit',
    env: { ...process.env, QUIRE_ROOT: root },
    detached: process.platform !== 'win32',
  });
  let forwarded = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (forwarded) return;
      forwarded = true;
      child.kill('SIGTERM');
    });
  }
  child.once('error', (error) => fail(`could not start Electron: ${error.message}`, 1));
  child.once('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function runBrowserMode() {
  let server;
  try {
    server = await startServerProcess({
      root,
      port,
      staticDir: options.static === undefined ? undefined : path.resolve(options.static),
      onOutput: (line) => process.stderr.write(`[quire serve] ${line}\n`),
    });
  } catch (error) {
    fail(error.message, 1);
  }
  process.stdout.write(
    `\n  Quire is running (browser mode), serving ${root}\n` +
      `  Open this URL in your browser (it carries the access token):\n\n` +
      `    ${server.url}\n\n` +
      `  Press Ctrl-C to stop.\n\n`,
  );
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`npm start: ${signal}, stopping the notebook server\n`);
    const code = await server.stop();
    process.exit(code ?? 1);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => void stop(signal));
  const code = await server.exited;
  if (!stopping) {
    process.stderr.write(`npm start: the notebook server exited (code ${code})\n`);
    process.exit(code === 0 ? 1 : (code ?? 1));
  }
}
