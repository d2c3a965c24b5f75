/** Reading and writing notebook text: upgrades older 4.x notebooks to 4.5 ids, serializes like nbformat. */
import { randomUUID } from 'node:crypto';
import { StorageError } from './errors.js';
import { parseNotebook, validateNotebook } from './nbformat-validate.js';

export type Notebook = Record<string, unknown> & { cells: Array<Record<string, unknown>>; metadata: Record<string, unknown> };

/** nbformat's own upgrade: 4.0-4.4 notebooks get random cell ids and become 4.5. */
function upgradeMinor(notebook: Record<string, unknown>): void {
  if (notebook.nbformat !== 4 || typeof notebook.nbformat_minor !== 'number' || notebook.nbformat_minor >= 5) return;
  if (Array.isArray(notebook.cells)) {
    for (const cell of notebook.cells) {
      if (cell && typeof cell === 'object' && !('id' in cell)) (cell as Record<string, unknown>).id = randomUUID().slice(0, 8);
    }
  }
  notebook.nbformat_minor = 5;
}

/** Parses a notebook file's text; a file that is not a valid notebook is an error, never an empty notebook. */
export function readNotebookText(text: string, name: string): Notebook {
  let result;
  try {
    result = parseNotebook(text, name);
  } catch (error) {
    throw new StorageError('invalid', (error as Error).message);
  }
  upgradeMinor(result.notebook);
  const problems = validateNotebook(result.notebook);
  if (problems.length > 0) {
    throw new StorageError('invalid', `${name} is not a valid nbformat 4.5 notebook: ${problems.slice(0, 10).join('; ')}`);
  }
  return result.notebook as Notebook;
}

/** Validates a notebook about to be written and returns its file text (nbformat's 1-space indent, sorted keys). */
export function notebookToText(notebook: unknown, name: string): string {
  const problems = validateNotebook(notebook);
  if (problems.length > 0) {
    throw new StorageError('invalid', `refusing to save ${name}: not a valid nbformat 4.5 notebook: ${problems.slice(0, 10).join('; ')}`);
  }
  return JSON.stringify(sortKeys(notebook), null, 1) + '\n';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) sorted[key] = sortKeys((value as Record<string, unknown>)[key]);
    return sorted;
  }
  return value;
}
