import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A notebook as saved on disk: the nbformat 4 fields the tests check. */
export interface SavedNotebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: SavedCell[];
}

export interface SavedCell {
  id: string;
  cell_type: 'code' | 'markdown' | 'raw';
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: Array<{ output_type: string; name?: string; text?: string | string[] }>;
  execution_count?: number | null;
}

/** Reads `path` (relative to the server's root) straight from the disk, not through the server. */
export async function readSavedNotebook(root: string, path: string): Promise<SavedNotebook> {
  const text = await readFile(join(root, path), 'utf8');
  const notebook = JSON.parse(text) as SavedNotebook;
  if (notebook.nbformat !== 4) throw new Error(`${path}: nbformat ${notebook.nbformat}, expected 4`);
  return notebook;
}

/** The file's modification time in ms, or null when it does not exist. */
export async function modifiedAt(root: string, path: string): Promise<number | null> {
  try {
    return (await stat(join(root, path))).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

export function sourceText(cell: SavedCell): string {
  return Array.isArray(cell.source) ? cell.source.join('') : cell.source;
}

/** The text of a saved cell's stream outputs, joined. */
export function streamText(cell: SavedCell): string {
  return (cell.outputs ?? []).filter((output) => output.output_type === 'stream')
    .map((output) => (Array.isArray(output.text) ? output.text.join('') : output.text ?? '')).join('');
}

/**
 * Validates a saved notebook with Jupyter's own nbformat package (Debian's python3-nbformat), the way
 * Jupyter tools will read it; resolves to the validator's complaint, or null when the notebook is valid.
 */
export function nbformatProblem(root: string, path: string): Promise<string | null> {
  const script = [
    'import sys, nbformat',
    'try:',
    '    nbformat.validate(nbformat.read(sys.argv[1], as_version=nbformat.NO_CONVERT))',
    'except Exception as error:',
    '    print(f"{type(error).__name__}: {error}")',
    '    sys.exit(1)',
  ].join('\n');
  return new Promise((resolve, reject) => {
    execFile('/usr/bin/python3', ['-c', script, join(root, path)], { timeout: 30_000 }, (error, stdout, stderr) => {
      if (!error) return resolve(null);
      if (error.code === 1 && stdout) return resolve(stdout.trim());
      reject(new Error(`nbformat validation could not run: ${error.message}\n${stderr}`));
    });
  });
}
