/**
 * Completion and inspection through the TypeScript language service. Each executed cell is kept as a script
 * file, so what earlier cells declared is in scope for the cell being edited, as it is when it runs.
 */
import { dirname, join } from 'node:path';
import ts from 'typescript';
import type { CompleteReply, InspectReply, JSONObject } from '../protocol/messages.js';
import { notebookGlobalsDeclaration } from './notebook-globals.js';

const GLOBALS_FILE = 'quire-globals.d.ts';
const CURRENT_FILE = 'quire-current-cell.ts';
/** Details (signatures) are looked up for at most this many completions: each costs a type-checker query. */
const MAX_DETAILED = 50;

export class NotebookLanguageService {
  private readonly files = new Map<string, { text: string; version: number }>();
  private readonly cellFiles: string[] = [];
  private readonly service: ts.LanguageService;
  private readonly root: string;

  constructor(notebookDir: string, engineNames: readonly string[] = []) {
    this.root = notebookDir;
    this.setFile(GLOBALS_FILE, notebookGlobalsDeclaration(engineNames));
    const options: ts.CompilerOptions = {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2023.d.ts'],
      types: ['node'],
      strict: true,
      skipLibCheck: true,
      allowJs: false,
      noEmit: true,
    };
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [GLOBALS_FILE, ...this.cellFiles, CURRENT_FILE].map((name) => this.path(name)),
      getScriptVersion: (fileName) => String(this.files.get(this.name(fileName))?.version ?? 0),
      getScriptSnapshot: (fileName) => {
        const own = this.files.get(this.name(fileName));
        if (own) return ts.ScriptSnapshot.fromString(own.text);
        const text = ts.sys.readFile(fileName);
        return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
      },
      getCurrentDirectory: () => this.root,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists: (fileName) => this.files.has(this.name(fileName)) || ts.sys.fileExists(fileName),
      readFile: (fileName) => this.files.get(this.name(fileName))?.text ?? ts.sys.readFile(fileName),
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
    };
    this.service = ts.createLanguageService(host, ts.createDocumentRegistry());
  }

  setEngineNames(engineNames: readonly string[]): void {
    this.setFile(GLOBALS_FILE, notebookGlobalsDeclaration(engineNames));
  }

  /** Remembers a cell that ran, so later cells see its declarations. */
  addExecutedCell(source: string): void {
    if (/^\s*%%/.test(source)) return;
    const name = `quire-cell-${this.cellFiles.length + 1}.ts`;
    this.cellFiles.push(name);
    this.setFile(name, source);
  }

  complete(code: string, cursor: number): CompleteReply {
    this.setFile(CURRENT_FILE, code);
    const { start, end } = identifierAround(code, cursor);
    const completions = this.service.getCompletionsAtPosition(this.path(CURRENT_FILE), cursor, {
      includeCompletionsWithInsertText: true,
    });
    const prefix = code.slice(start, cursor);
    const entries = (completions?.entries ?? [])
      .filter((entry) => entry.name.startsWith(prefix))
      .sort((a, b) => a.sortText.localeCompare(b.sortText) || a.name.localeCompare(b.name));
    const types = entries.slice(0, MAX_DETAILED).map((entry) => {
      const details = this.service.getCompletionEntryDetails(this.path(CURRENT_FILE), cursor, entry.name, undefined, entry.source, undefined, entry.data);
      return {
        start,
        end,
        text: entry.name,
        type: entry.kind,
        signature: details ? ts.displayPartsToString(details.displayParts) : '',
      };
    });
    return {
      status: 'ok',
      matches: entries.map((entry) => entry.name),
      cursor_start: start,
      cursor_end: end,
      metadata: { _jupyter_types_experimental: types } as unknown as JSONObject,
    };
  }

  inspect(code: string, cursor: number): InspectReply {
    this.setFile(CURRENT_FILE, code);
    // Jupyter asks with the cursor just after the name; step back onto it.
    const at = cursor > 0 && !/[\w$]/.test(code[cursor] ?? '') ? cursor - 1 : cursor;
    const info = this.service.getQuickInfoAtPosition(this.path(CURRENT_FILE), at);
    if (!info) return { status: 'ok', found: false, data: {}, metadata: {} };
    const signature = ts.displayPartsToString(info.displayParts);
    const docs = ts.displayPartsToString(info.documentation);
    const text = docs ? `${signature}\n\n${docs}` : signature;
    return {
      status: 'ok',
      found: true,
      data: { 'text/plain': text, 'text/markdown': `\`\`\`typescript\n${signature}\n\`\`\`${docs ? `\n\n${docs}` : ''}` },
      metadata: {},
    };
  }

  private setFile(name: string, text: string): void {
    const previous = this.files.get(name);
    if (previous?.text === text) return;
    this.files.set(name, { text, version: (previous?.version ?? 0) + 1 });
  }

  private path(name: string): string {
    return join(this.root, name);
  }

  private name(fileName: string): string {
    return dirname(fileName) === this.root ? fileName.slice(this.root.length + 1) : fileName;
  }
}

function identifierAround(code: string, cursor: number): { start: number; end: number } {
  let start = cursor;
  while (start > 0 && /[\w$]/.test(code[start - 1]!)) start--;
  let end = cursor;
  while (end < code.length && /[\w$]/.test(code[end]!)) end++;
  return { start, end };
}
