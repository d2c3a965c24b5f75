/**
 * bench/kernel/roundtrip: installs the quire kernelspec into a temporary prefix and runs roundtrip.py
 * against Quire and Debian's ipykernel (python3) in one run.
 * Usage: npx tsx bench/kernel/roundtrip.ts [--n 1000]
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const QUIRE = fileURLToPath(new URL('../../kernel/bin/quire.mjs', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./roundtrip.py', import.meta.url));

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const prefix = await mkdtemp(join(tmpdir(), 'quire-bench-'));
try {
  const installed = await run(process.execPath, [QUIRE, 'kernel', 'install', '--prefix', prefix], {});
  if (installed !== 0) throw new Error('quire kernel install failed');
  const env = { JUPYTER_PATH: join(prefix, 'share', 'jupyter'), PYDEVD_DISABLE_FILE_VALIDATION: '1' };
  process.exitCode = await run('/usr/bin/python3', ['-Xfrozen_modules=off', SCRIPT, ...process.argv.slice(2), 'quire', 'python3'], env);
} finally {
  await rm(prefix, { recursive: true, force: true });
}
