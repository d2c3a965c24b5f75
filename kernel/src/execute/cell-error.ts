/**
 * Errors from a cell as Jupyter shows them: one `error` message whose traceback names the cell's own lines.
 * Stack frames inside a cell are mapped through the transpiler's source map; frames inside the kernel
 * itself are dropped because they say nothing about the user's code.
 */
import { SourceMap } from 'node:module';
import { inspect } from 'node:util';
import type { ErrorContent } from '../protocol/messages.js';
import { CellSyntaxError } from './cell-transform.js';
import { CellTypeError, typeErrorContent } from './type-errors.js';

export interface CompiledCell {
  /** What the user calls the cell in messages, e.g. `cell 3`. */
  label: string;
  source: string;
  sourceMap: SourceMap | undefined;
  /** From a position of the code that ran to one of the transpiled JavaScript the source map knows (cell-transform.ts). */
  toTranspiled?: (line: number, column: number) => { line: number; column: number };
  /** Line of the runnable code that closes the cell's async wrapper: frames there are the kernel's, not the user's. */
  wrapperLine?: number;
}

/** Where cells are remembered so a function defined in cell 2 that throws in cell 5 still maps to cell 2. */
export class CellRegistry {
  private readonly cells = new Map<string, CompiledCell>();

  add(fileName: string, cell: CompiledCell): void {
    this.cells.set(fileName, cell);
  }

  get(fileName: string): CompiledCell | undefined {
    return this.cells.get(fileName);
  }
}

export class InterruptedError extends Error {
  constructor() {
    super('the cell was interrupted');
    this.name = 'Interrupted';
  }
}

const FRAME = /^(\s*at .*?)\(?(quire-cell-\d+\.js):(\d+):(\d+)\)?$/;
/** Frames of Quire itself (kernel, engine) and of Node: they say nothing about the user's code. */
const INTERNAL_FRAME = /\/kernel\/src\/|\/engine\/src\/|node:internal|node:vm|\(node:|tsx\/dist/;

/** `current` is the cell being run, for errors (syntax) raised before it has a source map. */
export function toErrorContent(error: unknown, registry: CellRegistry, current?: CompiledCell): ErrorContent {
  if (error instanceof CellSyntaxError) return syntaxErrorContent(error, current);
  if (error instanceof CellTypeError && current) return typeErrorContent(error, current);
  if (!(error instanceof Error)) {
    return { ename: 'Uncaught', evalue: inspect(error), traceback: [`Uncaught ${inspect(error)}`] };
  }
  const ename = error.name || error.constructor?.name || 'Error';
  const evalue = error.message;
  const traceback = [`${ename}: ${evalue}`];
  let excerpt: string[] | undefined;
  for (const line of (error.stack ?? '').split('\n').slice(1)) {
    const frame = FRAME.exec(line);
    if (frame) {
      const [, prefix, fileName, jsLine, jsColumn] = frame;
      const mapped = mapPosition(registry.get(fileName!), Number(jsLine), Number(jsColumn));
      if (!mapped) continue;
      const name = prefix!.trim() === 'at' ? '    at ' : `${prefix!.replace(/\s+$/, '')} `;
      traceback.push(`${name}${name.endsWith('at ') ? '' : '('}${mapped.label}:${mapped.line}:${mapped.column}${name.endsWith('at ') ? '' : ')'}`);
      excerpt ??= sourceExcerpt(mapped.cell, mapped.line, mapped.column);
    } else if (/^\s*at /.test(line) && !INTERNAL_FRAME.test(line)) {
      traceback.push(line);
    }
  }
  return { ename, evalue, traceback: excerpt ? [...excerpt, ...traceback] : traceback };
}

function syntaxErrorContent(error: CellSyntaxError, current: CompiledCell | undefined): ErrorContent {
  const excerpt = current ? sourceExcerpt(current, error.line, error.column) : [];
  const where = `${current?.label ?? 'cell'}:${error.line}:${error.column}`;
  return { ename: 'SyntaxError', evalue: error.message, traceback: [...excerpt, `SyntaxError: ${error.message}`, `    at ${where}`] };
}

interface MappedPosition {
  cell: CompiledCell;
  label: string;
  line: number;
  column: number;
}

function mapPosition(cell: CompiledCell | undefined, jsLine: number, jsColumn: number): MappedPosition | undefined {
  if (!cell?.sourceMap || jsLine === cell.wrapperLine) return undefined;
  const transpiled = cell.toTranspiled?.(jsLine - 1, jsColumn - 1) ?? { line: jsLine - 1, column: jsColumn - 1 };
  const entry = cell.sourceMap.findEntry(transpiled.line, transpiled.column) as { originalLine?: number; originalColumn?: number };
  if (entry.originalLine === undefined) return undefined;
  return { cell, label: cell.label, line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
}

/** The offending line of the cell with a caret under the column, as Node prints an uncaught error. */
export function sourceExcerpt(cell: CompiledCell, line: number, column: number): string[] {
  const text = cell.source.split('\n')[line - 1];
  if (text === undefined) return [];
  return [`${cell.label}, line ${line}:`, `  ${text}`, `  ${' '.repeat(Math.max(0, column - 1))}^`, ''];
}
