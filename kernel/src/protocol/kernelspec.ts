/** `quire kernel install`: the kernelspec that lets Jupyter tools find and launch this kernel. */
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const KERNEL_NAME = 'quire';

export type InstallTarget = { kind: 'user' } | { kind: 'prefix'; prefix: string } | { kind: 'system' };

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode: 'message' | 'signal';
  metadata: Record<string, unknown>;
}

export function kernelSpec(): KernelSpec {
  const quireEntry = fileURLToPath(new URL('../../bin/quire.mjs', import.meta.url));
  return {
    argv: [process.execPath, quireEntry, 'kernel', '-f', '{connection_file}'],
    display_name: 'Quire (TypeScript)',
    language: 'typescript',
    interrupt_mode: 'message',
    metadata: {},
  };
}

/** Where Jupyter looks for kernels for each kind of install (jupyter_core's path rules on Linux/macOS). */
export function kernelsDirectory(target: InstallTarget): string {
  switch (target.kind) {
    case 'prefix':
      return join(resolve(target.prefix), 'share', 'jupyter', 'kernels');
    case 'user': {
      const dataDir = process.env.JUPYTER_DATA_DIR ?? (process.platform === 'darwin' ? join(homedir(), 'Library', 'Jupyter') : join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter'));
      return join(dataDir, 'kernels');
    }
    case 'system':
      return '/usr/local/share/jupyter/kernels';
  }
}

/** Writes kernel.json (atomically) and returns the kernelspec directory. */
export async function installKernelSpec(target: InstallTarget): Promise<string> {
  const directory = join(kernelsDirectory(target), KERNEL_NAME);
  await mkdir(directory, { recursive: true });
  const file = join(directory, 'kernel.json');
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify(kernelSpec(), null, 2) + '\n');
  await rename(temporary, file);
  return directory;
}
