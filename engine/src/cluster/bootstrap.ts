/**
 * Bootstrap actions a worker runs before it accepts tasks. A JavaScript or TypeScript module is
 * imported into the worker (so it can set process.env or prepare data files); anything else is
 * executed with the worker's environment in its scratch directory. The first failure stops the
 * worker, with the action's own error.
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const MODULE_EXTENSIONS = /\.(mjs|js|cjs|ts|mts)$/;

export async function runBootstrapActions(actions: string[], cwd: string): Promise<void> {
  for (const action of actions) {
    if (!isAbsolute(action)) throw new Error(`bootstrap action ${action} must be an absolute path`);
    await access(action, constants.R_OK).catch(() => {
      throw new Error(`bootstrap action ${action} does not exist or cannot be read`);
    });
    try {
      if (MODULE_EXTENSIONS.test(action)) await import(pathToFileURL(action).href);
      else await run(action, [], { cwd, env: process.env });
    } catch (error) {
      const detail = error as Error & { stderr?: string; code?: number | string };
      const stderr = detail.stderr?.trim();
      throw new Error(`bootstrap action ${action} failed: ${stderr || detail.message}${typeof detail.code === 'number' ? ` (exit code ${detail.code})` : ''}`);
    }
  }
}
