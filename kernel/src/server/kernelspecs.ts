/**
 * Kernelspec discovery the way jupyter_client does it: `kernels/<name>/kernel.json` under each
 * Jupyter data directory (JUPYTER_PATH, the user's, then the system's), first one found wins,
 * plus Quire's own kernel (`quire kernel -f {connection_file}`) when its command is present.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  interrupt_mode?: 'signal' | 'message';
  env?: Record<string, string>;
  metadata?: Record<string, unknown>;
}

export interface KernelSpecEntry {
  name: string;
  spec: KernelSpec;
  /** Directory holding kernel.json and logos; undefined for built-in specs. */
  resourceDir?: string;
}

const QUIRE_BIN = fileURLToPath(new URL('../../bin/quire.mjs', import.meta.url));
const QUIRE_KERNEL_COMMAND = fileURLToPath(new URL('../cli/kernel-command.ts', import.meta.url));

export function defaultKernelSpecDirs(): string[] {
  const dirs: string[] = [];
  for (const entry of (process.env.JUPYTER_PATH ?? '').split(path.delimiter)) if (entry) dirs.push(path.join(entry, 'kernels'));
  const dataHome = process.env.JUPYTER_DATA_DIR ?? path.join(process.env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'jupyter');
  dirs.push(path.join(dataHome, 'kernels'), '/usr/local/share/jupyter/kernels', '/usr/share/jupyter/kernels');
  return dirs;
}

export function quireKernelSpec(): KernelSpecEntry | undefined {
  if (!existsSync(QUIRE_KERNEL_COMMAND)) return undefined;
  return {
    name: 'quire',
    spec: {
      argv: [process.execPath, QUIRE_BIN, 'kernel', '-f', '{connection_file}'],
      display_name: 'Quire (TypeScript, SQL)',
      language: 'typescript',
      interrupt_mode: 'message',
      metadata: {},
    },
  };
}

export class KernelSpecCatalog {
  constructor(private readonly dirs: string[] = defaultKernelSpecDirs()) {}

  async list(): Promise<Map<string, KernelSpecEntry>> {
    const found = new Map<string, KernelSpecEntry>();
    const quire = quireKernelSpec();
    if (quire) found.set(quire.name, quire);
    for (const dir of this.dirs) {
      const names = await readdir(dir).catch(() => [] as string[]);
      for (const name of names.sort()) {
        if (found.has(name)) continue;
        const resourceDir = path.join(dir, name);
        const file = path.join(resourceDir, 'kernel.json');
        let spec: KernelSpec;
        try {
          spec = JSON.parse(await readFile(file, 'utf8')) as KernelSpec;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') continue;
          process.stderr.write(`quire serve: skipping kernelspec ${file}: ${(error as Error).message}\n`);
          continue;
        }
        if (!Array.isArray(spec.argv) || spec.argv.length === 0 || typeof spec.display_name !== 'string') {
          process.stderr.write(`quire serve: skipping kernelspec ${file}: needs argv and display_name\n`);
          continue;
        }
        found.set(name, { name, spec, resourceDir });
      }
    }
    return found;
  }

  async get(name: string): Promise<KernelSpecEntry | undefined> {
    return (await this.list()).get(name);
  }

  /** quire when available, else python3, else the first one found. */
  async defaultName(): Promise<string> {
    const names = [...(await this.list()).keys()];
    return names.includes('quire') ? 'quire' : names.includes('python3') ? 'python3' : (names[0] ?? 'quire');
  }
}
