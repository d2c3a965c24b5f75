/**
 * Turns a TypeScript cell into JavaScript that runs in the notebook's persistent global scope.
 *
 * The cell is transpiled as a module (so top-level `await` parses), then its top-level statements are edited
 * in place so that every declaration lands on the global object — a later cell may declare the same `const`
 * again, as in Node's REPL — and static imports become awaited dynamic imports. Every edit stays on its own
 * lines, so the transpiler's source map still maps errors back to the cell's own line numbers.
 */
import ts from 'typescript';

export const IMPORT_FUNCTION = '__quireImport';
/**
 * Called first thing in every cell, once vm's breakOnSigint watchdog is on: it throws if an interrupt was
 * asked for whose signal came before the watchdog (executor.ts, protocol/interrupt-requests.ts).
 */
export const INTERRUPT_CHECK = '__quireInterruptCheck';
/** Line 1 of the runnable code starts with this, before the cell's first transpiled line. */
const PREFIX = `(async () => { globalThis.${INTERRUPT_CHECK}?.(); `;

export interface TransformedCell {
  /** A script whose completion value is a promise of `{ value }` (value of the last expression) or undefined. */
  code: string;
  /** The transpiler's source map from the transpiled JavaScript back to the cell. */
  sourceMap: string;
  /**
   * Where a position of `code` (0-based line and column) was in the transpiled JavaScript, which is what the
   * source map maps from: the edits shift columns within their lines. A position inside text an edit
   * inserted maps to where the edit was made.
   */
  toTranspiled(line: number, column: number): { line: number; column: number };
}

export class CellSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
    this.name = 'SyntaxError';
  }
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

export function transformCell(source: string, fileName: string): TransformedCell {
  const output = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleDetection: ts.ModuleDetectionKind.Force,
      sourceMap: true,
      inlineSources: false,
      useDefineForClassFields: true,
      // Keep every import: a name imported in one cell is often first used in a later one.
      verbatimModuleSyntax: true,
      experimentalDecorators: false,
    },
  });
  const syntaxError = output.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error);
  if (syntaxError) throw toCellSyntaxError(syntaxError);

  const js = output.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n');
  const file = ts.createSourceFile('cell.js', js, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const edits: Edit[] = [];
  const hoisted: string[] = [];
  const statements = file.statements;
  const last = statements.filter((statement) => !isEmptyExport(statement)).at(-1);
  for (const statement of statements) rewriteStatement(statement, statement === last, edits, hoisted);
  const body = applyEdits(js, edits);
  const head = `${PREFIX}${hoisted.join(' ')}`;
  const code = `${head}${body}\n})()`;
  const bodyLines = lineStarts(body);
  const jsLines = lineStarts(js);
  const toTranspiled = (line: number, column: number): { line: number; column: number } => {
    const bodyColumn = line === 0 ? Math.max(0, column - head.length) : column;
    const offset = undoEdits((bodyLines[line] ?? body.length) + bodyColumn, edits);
    const jsLine = lastAtOrBefore(jsLines, offset);
    return { line: jsLine, column: offset - jsLines[jsLine]! };
  };
  return { code, sourceMap: output.sourceMapText ?? '', toTranspiled };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** Index of the last of the ascending `starts` that is at most `offset`. */
function lastAtOrBefore(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (starts[middle]! <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** The offset in the text before `edits` of an offset in the text after them. */
function undoEdits(offset: number, edits: Edit[]): number {
  let shift = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start || a.end - b.end)) {
    const editedStart = edit.start + shift;
    if (offset < editedStart) break;
    if (offset < editedStart + edit.text.length) return edit.start;
    shift += edit.text.length - (edit.end - edit.start);
  }
  return offset - shift;
}

function rewriteStatement(statement: ts.Statement, isLast: boolean, edits: Edit[], hoisted: string[]): void {
  if (ts.isImportDeclaration(statement)) {
    edits.push(replaceKeepingLines(statement, importReplacement(statement)));
  } else if (isEmptyExport(statement)) {
    // `export {};` is what the transpiler appends to mark a module; it means nothing in a cell.
    edits.push(replaceKeepingLines(statement, ''));
  } else if (ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) {
    const { line, character } = statement.getSourceFile().getLineAndCharacterOfPosition(statement.getStart());
    throw new CellSyntaxError('a notebook cell cannot export; declare the value at top level instead', line + 1, character + 1);
  } else if (ts.isVariableStatement(statement)) {
    removeExportKeyword(statement, edits);
    rewriteVariableStatement(statement, edits);
  } else if (ts.isFunctionDeclaration(statement) && statement.name) {
    removeExportKeyword(statement, edits);
    // Function declarations are hoisted inside the cell's wrapper; publishing them first keeps that behaviour.
    hoisted.push(`globalThis.${statement.name.text} = ${statement.name.text};`);
  } else if (ts.isClassDeclaration(statement) && statement.name) {
    removeExportKeyword(statement, edits);
    const start = statement.getStart();
    edits.push({ start, end: start, text: `${statement.name.text} = ` });
    edits.push({ start: statement.end, end: statement.end, text: ';' });
  } else if (isLast && ts.isExpressionStatement(statement)) {
    const expression = statement.expression;
    edits.push({ start: expression.getStart(), end: expression.getStart(), text: 'return { value: (' });
    edits.push({ start: expression.end, end: expression.end, text: ') }' });
  }
}

function rewriteVariableStatement(statement: ts.VariableStatement, edits: Edit[]): void {
  const list = statement.declarationList;
  const declarations = list.declarations;
  // Drop `const`/`let`/`var`: the names become properties of the global object.
  edits.push({ start: list.getStart(), end: declarations[0]!.getStart(), text: '' });
  declarations.forEach((declaration, index) => {
    if (index > 0) {
      const between = declarations[index - 1]!.end;
      const comma = declaration.getSourceFile().text.indexOf(',', between);
      edits.push({ start: comma, end: comma + 1, text: ';' });
    }
    if (ts.isIdentifier(declaration.name)) {
      if (!declaration.initializer) edits.push({ start: declaration.end, end: declaration.end, text: ' = undefined' });
    } else {
      // `({ a, b } = value)`: a destructuring assignment needs parentheses where a declaration did not.
      edits.push({ start: declaration.getStart(), end: declaration.getStart(), text: '(' });
      edits.push({ start: declaration.end, end: declaration.end, text: ')' });
    }
  });
}

function isEmptyExport(statement: ts.Statement): boolean {
  return (
    ts.isExportDeclaration(statement) &&
    !statement.moduleSpecifier &&
    (!statement.exportClause || (ts.isNamedExports(statement.exportClause) && statement.exportClause.elements.length === 0))
  );
}

function removeExportKeyword(statement: ts.Statement, edits: Edit[]): void {
  const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) : undefined;
  for (const modifier of modifiers ?? []) {
    if (modifier.kind === ts.SyntaxKind.ExportKeyword) edits.push({ start: modifier.getStart(), end: modifier.end, text: '' });
  }
}

function importReplacement(statement: ts.ImportDeclaration): string {
  const specifier = (statement.moduleSpecifier as ts.StringLiteral).text;
  const load = `(await ${IMPORT_FUNCTION}(${JSON.stringify(specifier)}))`;
  const clause = statement.importClause;
  if (!clause) return `${load};`;
  const parts: string[] = [];
  if (clause.name) parts.push(`${clause.name.text} = ${load}.default;`);
  const bindings = clause.namedBindings;
  if (bindings && ts.isNamespaceImport(bindings)) parts.push(`${bindings.name.text} = ${load};`);
  if (bindings && ts.isNamedImports(bindings) && bindings.elements.length > 0) {
    const names = bindings.elements.map((e) => `${(e.propertyName ?? e.name).getText()}: ${e.name.text}`);
    parts.push(`({ ${names.join(', ')} } = ${load});`);
  }
  return parts.join(' ');
}

function replaceKeepingLines(node: ts.Node, text: string): Edit {
  const original = node.getText();
  const newlines = original.split('\n').length - 1;
  return { start: node.getStart(), end: node.end, text: text + '\n'.repeat(newlines) };
}

function applyEdits(text: string, edits: Edit[]): string {
  const ordered = [...edits].sort((a, b) => b.start - a.start || b.end - a.end);
  let result = text;
  for (const edit of ordered) result = result.slice(0, edit.start) + edit.text + result.slice(edit.end);
  return result;
}

function toCellSyntaxError(diagnostic: ts.Diagnostic): CellSyntaxError {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  if (!diagnostic.file || diagnostic.start === undefined) return new CellSyntaxError(message, 1, 1);
  const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
  return new CellSyntaxError(message, line + 1, character + 1);
}
