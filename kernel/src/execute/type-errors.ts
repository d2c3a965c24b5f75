/** Type errors found before a cell runs: the cell does not run, and the errors show as one `error` output. */
import ts from 'typescript';
import type { ErrorContent } from '../protocol/messages.js';
import { sourceExcerpt, type CompiledCell } from './cell-error.js';

export class CellTypeError extends Error {
  constructor(readonly diagnostics: readonly ts.Diagnostic[]) {
    const first = ts.flattenDiagnosticMessageText(diagnostics[0]!.messageText, '\n');
    super(diagnostics.length === 1 ? first : `${first} (and ${diagnostics.length - 1} more type error${diagnostics.length > 2 ? 's' : ''})`);
    this.name = 'TSError';
  }
}

export function typeErrorContent(error: CellTypeError, cell: CompiledCell): ErrorContent {
  const traceback: string[] = [];
  for (const diagnostic of error.diagnostics) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    const position = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
    if (position) traceback.push(...sourceExcerpt(cell, position.line + 1, position.character + 1));
    traceback.push(`TSError: TS${diagnostic.code}: ${message}`, position ? `    at ${cell.label}:${position.line + 1}:${position.character + 1}` : `    in ${cell.label}`, '');
  }
  return { ename: 'TSError', evalue: error.message, traceback };
}
