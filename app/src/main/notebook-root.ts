import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * The folder Quire serves notebooks from: the one asked for, else $QUIRE_ROOT, else ~/Quire (created on
 * first start). Not the current directory: `npm start` runs in the repository, which is no place for a
 * user's notebooks.
 */
export async function resolveNotebookRoot(requested: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (requested !== undefined) return path.resolve(requested);
  if (env.QUIRE_ROOT) return path.resolve(env.QUIRE_ROOT);
  const root = path.join(os.homedir(), 'Quire');
  await mkdir(root, { recursive: true });
  return root;
}
