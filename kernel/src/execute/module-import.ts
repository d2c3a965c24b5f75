/**
 * Cells' `import` statements load packages the way a module in the notebook's folder would: relative paths
 * from that folder, bare names from its node_modules (and the project's, further up).
 */
import { isBuiltin, createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function createModuleImporter(notebookDir: string): (specifier: string) => Promise<unknown> {
  const resolveFrom = createRequire(join(notebookDir, '__notebook__.js'));
  return async (specifier: string) => {
    if (isBuiltin(specifier)) return import(specifier);
    let resolved: string;
    try {
      resolved = resolveFrom.resolve(specifier);
    } catch (error) {
      throw new Error(`cannot find module '${specifier}' from ${notebookDir}: ${(error as Error).message.split('\n')[0]}`);
    }
    return import(pathToFileURL(resolved).href);
  };
}
