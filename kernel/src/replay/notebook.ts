/** Reading, checking and atomically writing nbformat 4 notebooks. */
import { randomUUID } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import type { JSONObject, JSONValue, MimeBundle } from '../protocol/messages.js';

export type MultilineString = string | string[];

export type Output =
  | { output_type: 'stream'; name: 'stdout' | 'stderr'; text: MultilineString }
  | { output_type: 'display_data'; data: MimeBundle; metadata: JSONObject }
  | { output_type: 'execute_result'; execution_count: number | null; data: MimeBundle; metadata: JSONObject }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

export interface CodeCell {
  cell_type: 'code';
  id?: string;
  source: MultilineString;
  metadata: JSONObject & { tags?: string[] };
  execution_count: number | null;
  outputs: Output[];
}
export interface OtherCell {
  cell_type: 'markdown' | 'raw';
  id?: string;
  source: MultilineString;
  metadata: JSONObject;
  attachments?: JSONObject;
}
export type Cell = CodeCell | OtherCell;

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: JSONObject;
  cells: Cell[];
}

export class NotebookFormatError extends Error {}

export function joinSource(source: MultilineString): string {
  return Array.isArray(source) ? source.join('') : source;
}

/** Splits text the way Jupyter stores it: one string per line, each keeping its newline. */
export function splitLines(text: string): string[] {
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

export async function readNotebook(path: string): Promise<Notebook> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new NotebookFormatError(`cannot read notebook ${path}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new NotebookFormatError(`${path} is not a notebook: invalid JSON (${(error as Error).message})`);
  }
  return validateNotebook(raw, path);
}

export function validateNotebook(raw: unknown, path: string): Notebook {
  const fail = (what: string): never => {
    throw new NotebookFormatError(`${path} is not a valid nbformat 4 notebook: ${what}`);
  };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail('the top level is not a JSON object');
  const nb = raw as Record<string, unknown>;
  if (nb.nbformat !== 4) fail(`nbformat is ${JSON.stringify(nb.nbformat)}, expected 4`);
  if (!Array.isArray(nb.cells)) fail("'cells' is missing or not a list");
  if (typeof nb.metadata !== 'object' || nb.metadata === null) fail("'metadata' is missing or not an object");
  (nb.cells as unknown[]).forEach((cell, index) => {
    if (typeof cell !== 'object' || cell === null) fail(`cell ${index + 1} is not an object`);
    const c = cell as Record<string, unknown>;
    if (c.cell_type !== 'code' && c.cell_type !== 'markdown' && c.cell_type !== 'raw') fail(`cell ${index + 1} has cell_type ${JSON.stringify(c.cell_type)}`);
    const source = c.source;
    if (typeof source !== 'string' && !(Array.isArray(source) && source.every((line) => typeof line === 'string'))) {
      fail(`cell ${index + 1} has no source text`);
    }
    c.metadata ??= {};
    if (c.cell_type === 'code') {
      if (c.outputs !== undefined && !Array.isArray(c.outputs)) fail(`cell ${index + 1} has outputs that are not a list`);
      c.outputs ??= [];
      c.execution_count ??= null;
    }
  });
  return nb as unknown as Notebook;
}

/** Writes through a temporary file and a rename, so a crash never leaves half a notebook. */
export async function writeNotebookAtomically(path: string, notebook: Notebook): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomUUID().slice(0, 8)}.tmp`;
  await writeFile(temporary, JSON.stringify(notebook, null, 1) + '\n');
  await rename(temporary, path);
}

export function newCellId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16);
}

export type { JSONValue };
