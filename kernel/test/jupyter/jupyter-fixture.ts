/** A temporary Jupyter prefix with the quire kernelspec installed, and helpers to run Debian's Jupyter tools. */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const QUIRE = fileURLToPath(new URL('../../bin/quire.mjs', import.meta.url));
export const PYTHON = '/usr/bin/python3';

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...options.env }, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 170_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface JupyterPrefix {
  dir: string;
  /** Environment under which Jupyter tools find the quire kernelspec. */
  env: NodeJS.ProcessEnv;
  dispose(): Promise<void>;
}

export async function installKernelInTempPrefix(): Promise<JupyterPrefix> {
  const dir = await mkdtemp(join(tmpdir(), 'quire-jupyter-'));
  const installed = await run(process.execPath, [QUIRE, 'kernel', 'install', '--prefix', dir]);
  if (installed.code !== 0) throw new Error(`quire kernel install failed: ${installed.stderr}`);
  // The pyenv python first on PATH has no Jupyter; Debian's tools are used explicitly, and their
  // frozen-modules debugger warning is silenced so stderr stays readable.
  const env = { JUPYTER_PATH: join(dir, 'share', 'jupyter'), PYDEVD_DISABLE_FILE_VALIDATION: '1', JUPYTER_PLATFORM_DIRS: '1' };
  return { dir, env, dispose: () => rm(dir, { recursive: true, force: true }) };
}
