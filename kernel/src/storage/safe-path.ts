/**
 * Maps API paths ("dir/notebook.ipynb") to files inside one root directory. Anything that could
 * reach outside the root is refused: absolute paths, `..` segments, NUL bytes, and symlinks whose
 * target lies outside (checked on the real path of the deepest existing ancestor).
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';
import { StorageError, isNodeError } from './errors.js';

/** Folders the server keeps its own state in; never reachable through the contents API. */
export const RESERVED_SEGMENTS = new Set(['.quire', '.ipynb_checkpoints']);

/** Normalizes an API path to its segments, refusing anything that is not a plain relative path. */
export function apiPathSegments(apiPath: string): string[] {
  if (apiPath.includes('\0')) throw new StorageError('forbidden', `path contains a NUL byte: ${JSON.stringify(apiPath)}`);
  const decoded = apiPath.replace(/\\/g, '/');
  if (decoded.startsWith('/') || /^[a-zA-Z]:/.test(decoded)) throw new StorageError('forbidden', `absolute path refused: ${apiPath}`);
  const segments = decoded.split('/').filter((s) => s !== '' && s !== '.');
  for (const segment of segments) {
    if (segment === '..') throw new StorageError('forbidden', `path leaves the root: ${apiPath}`);
    if (RESERVED_SEGMENTS.has(segment)) throw new StorageError('forbidden', `path is reserved for the server: ${apiPath}`);
  }
  return segments;
}

export function normalizeApiPath(apiPath: string): string {
  return apiPathSegments(apiPath).join('/');
}

export class RootedPaths {
  private realRoot: string | undefined;

  constructor(readonly root: string) {}

  private async rootReal(): Promise<string> {
    this.realRoot ??= await realpath(this.root);
    return this.realRoot;
  }

  /** The absolute file path for an API path, after checking it cannot escape the root. */
  async resolve(apiPath: string): Promise<string> {
    const segments = apiPathSegments(apiPath);
    const root = await this.rootReal();
    const target = path.join(root, ...segments);
    await this.assertInside(target, apiPath);
    return target;
  }

  /** Follows symlinks on the existing part of the path and checks the result stays under the root. */
  private async assertInside(target: string, apiPath: string): Promise<void> {
    const root = await this.rootReal();
    let probe = target;
    let rest = '';
    for (;;) {
      try {
        const real = await realpath(probe);
        const resolved = rest ? path.join(real, rest) : real;
        if (resolved !== root && !resolved.startsWith(root + path.sep)) {
          throw new StorageError('forbidden', `path resolves outside the root: ${apiPath}`);
        }
        return;
      } catch (error) {
        if (!isNodeError(error, 'ENOENT')) throw error;
        const parent = path.dirname(probe);
        if (parent === probe) throw new StorageError('forbidden', `path resolves outside the root: ${apiPath}`);
        rest = rest ? path.join(path.basename(probe), rest) : path.basename(probe);
        probe = parent;
      }
    }
  }

  /** The API path of an absolute path known to be inside the root. */
  async toApiPath(absolute: string): Promise<string> {
    const root = await this.rootReal();
    return path.relative(root, absolute).split(path.sep).join('/');
  }
}
