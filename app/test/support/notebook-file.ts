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
