/**
 * Papermill-style parameters: `-p name=value` values go into a cell tagged `injected-parameters`, placed right
 * after the cell tagged `parameters` (whose defaults they override), or first when there is none.
 */
import { newCellId, type Cell, type CodeCell, type Notebook } from './notebook.js';

export type Parameters = Record<string, unknown>;

export class ParameterError extends Error {}

/** `name=value`: the value is read as JSON when it is JSON (numbers, booleans, quoted strings), else as text. */
export function parseParameter(text: string): [string, unknown] {
  const at = text.indexOf('=');
  if (at <= 0) throw new ParameterError(`parameter '${text}' is not name=value`);
  const name = text.slice(0, at);
  if (!/^[A-Za-z_$][\w$]*$/.test(name)) throw new ParameterError(`parameter name '${name}' is not a valid identifier`);
  const raw = text.slice(at + 1);
  try {
    return [name, JSON.parse(raw)];
  } catch {
    return [name, raw];
  }
}

function hasTag(cell: Cell, tag: string): boolean {
  const tags = (cell.metadata as { tags?: unknown }).tags;
  return Array.isArray(tags) && tags.includes(tag);
}

export function injectParameters(notebook: Notebook, parameters: Parameters): void {
  const names = Object.keys(parameters);
  const existing = notebook.cells.findIndex((cell) => hasTag(cell, 'injected-parameters'));
  if (existing >= 0) notebook.cells.splice(existing, 1);
  if (names.length === 0) return;
  const source = ['// Parameters', ...names.map((name) => `const ${name} = ${JSON.stringify(parameters[name])};`)].join('\n');
  const cell: CodeCell = {
    cell_type: 'code',
    id: newCellId(),
    source,
    metadata: { tags: ['injected-parameters'] },
    execution_count: null,
    outputs: [],
  };
  const parametersAt = notebook.cells.findIndex((c) => hasTag(c, 'parameters'));
  notebook.cells.splice(parametersAt + 1, 0, cell);
}
