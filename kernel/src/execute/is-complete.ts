/**
 * is_complete_request: whether a console should run the code or wait for another line. The TypeScript
 * parser decides: errors only at the very end (an unclosed bracket, string or template literal) mean
 * incomplete; errors elsewhere mean invalid.
 */
import ts from 'typescript';
import type { IsCompleteReply } from '../protocol/messages.js';

const UNTERMINATED = new Set([1002 /* string */, 1160 /* template */, 1010 /* comment */, 1161 /* regexp */]);

export function isComplete(code: string): IsCompleteReply {
  if (/^\s*%%/.test(code)) return code.trim().includes('\n') ? { status: 'complete' } : { status: 'incomplete', indent: '' };
  const file = ts.createSourceFile('cell.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (diagnostics.length === 0) return { status: 'complete' };
  const end = code.trimEnd().length;
  const incomplete = diagnostics.every((d) => UNTERMINATED.has(d.code) || (d.start ?? 0) >= end);
  if (!incomplete) return { status: 'invalid' };
  return { status: 'incomplete', indent: '  '.repeat(Math.max(0, openBrackets(code))) };
}

function openBrackets(code: string): number {
  let depth = 0;
  for (const char of code) {
    if ('([{'.includes(char)) depth++;
    else if (')]}'.includes(char)) depth--;
  }
  return depth;
}
