import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * Why the UI in app/dist must be (re)built before it is served, or undefined when it is up to date:
 * missing, or older than a renderer source, the Vite config or the package manifest.
 */
export async function uiBuildReason(appDir: string): Promise<string | undefined> {
  const builtAt = await modifiedAt(path.join(appDir, 'dist', 'index.html'));
  if (builtAt === undefined) return 'the UI is not built yet (no app/dist/index.html)';
  const sources = [
    ...(await filesUnder(path.join(appDir, 'src', 'renderer'))),
    path.join(appDir, 'vite.config.ts'),
    path.join(appDir, 'index.html'),
    path.join(appDir, 'package.json'),
  ];
  for (const file of sources) {
    const changedAt = await modifiedAt(file);
    if (changedAt !== undefined && changedAt > builtAt) return `the UI build is older than ${path.relative(appDir, file)}`;
  }
  return undefined;
}

async function modifiedAt(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}
