/**
 * Completion and inspection through the TypeScript language service. Each executed cell is kept as a script
 * file, so what earlier cells declared is in scope for the cell being edited, as it is when it runs.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import type { CompleteReply, InspectReply, JSONObject } from '../protocol/messages.js';
import { notebookGlobalsDeclaration } from './notebook-globals.js';
import { importsAsGlobals } from './imports-as-globals.js';
import { topLevelNames, type DeclaredName } from './top-level-names.js';

const GLOBALS_FILE = 'quire-globals.d.ts';
const CURRENT_FILE = 'quire-current-cell.ts';
/** Details (signatures) are looked up for at most this many completions: each costs a type-checker query. */
const MAX_DETAILED = 50;

/**
 * Diagnostics that come from seeing cells as separate script files rather than from the user's code:
 * redeclaring a name an earlier cell declared, top-level await in a script, and names an earlier cell
 * imported (a cell with imports is a module, so its names are not global to the checker; at run time they are,
 * and a truly missing name still fails as a ReferenceError).
 */
const NOTEBOOK_ARTIFACTS = new Set([2451, 2300, 2393, 2567, 1375, 1378, 2304, 2552, 2582, 2583]);

interface ExecutedCell {
  file: string;
  source: string;
  names: DeclaredName[];
}

export class NotebookLanguageService {
  private readonly files = new Map<string, { text: string; version: number }>();
  private readonly cells: ExecutedCell[] = [];
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
      // Node's types come with Quire, wherever the notebook is.
      typeRoots: [join(notebookDir, 'node_modules', '@types'), fileURLToPath(new URL('../../../node_modules/@types', import.meta.url))],
      strict: true,
      // The engine's types, wherever the notebook is.
      paths: { '@quire/engine': [fileURLToPath(new URL('../../../engine/src/index.ts', import.meta.url))] },
      skipLibCheck: true,
      allowJs: false,
      noEmit: true,
    };
    const host: ts.LanguageServiceHost = {
      getCompilationSettings: () => options,
      getScriptFileNames: () => [GLOBALS_FILE, ...this.cells.map((cell) => cell.file), CURRENT_FILE].map((name) => this.path(name)),
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
    source = importsAsGlobals(source);
    const names = topLevelNames(source);
    // A cell that declares nothing cannot change what later cells see.
    if (names.length === 0) return;
    this.cells.push({ file: `quire-cell-${this.cells.length + 1}.ts`, source, names });
    this.showCell(source);
  }

  /** Type errors in a cell about to run, as seen after every earlier cell. */
  typeErrors(code: string): ts.Diagnostic[] {
    this.showCell(code);
    return this.service
      .getSemanticDiagnostics(this.path(CURRENT_FILE))
      .filter((d) => d.category === ts.DiagnosticCategory.Error && !NOTEBOOK_ARTIFACTS.has(d.code));
  }

  /**
   * Makes `code` the current cell. An earlier declaration of a name that a later cell (or this one) declares
   * again is renamed in the earlier cell's file, so the checker sees the newest declaration, as the code does.
   */
  private showCell(code: string): void {
    const later = new Set(topLevelNames(code).map((n) => n.name));
    for (let i = this.cells.length - 1; i >= 0; i--) {
      const cell = this.cells[i]!;
      let text = cell.source;
      for (const declared of [...cell.names].reverse()) {
        if (later.has(declared.name)) text = `${text.slice(0, declared.start)}__shadowed_${i}_${declared.name}${text.slice(declared.end)}`;
      }
      this.setFile(cell.file, text);
      for (const declared of cell.names) later.add(declared.name);
    }
    this.setFile(CURRENT_FILE, code);
  }

  complete(code: string, cursor: number): CompleteReply {
    this.showCell(code);
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
    this.showCell(code);
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
