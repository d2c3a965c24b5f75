/**
 * For the type checker only: rewrites a cell's imports into global declarations of the same types
 * (`declare const name: typeof import('m').name`), so the cell stays a script whose names later cells see —
 * at run time imported names are globals too. A file with an `import` statement would be a module instead.
 */
import ts from 'typescript';

export function importsAsGlobals(source: string): string {
  const file = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  let text = source;
  const imports = file.statements.filter(ts.isImportDeclaration).reverse();
  for (const statement of imports) {
    const module = JSON.stringify((statement.moduleSpecifier as ts.StringLiteral).text);
    const clause = statement.importClause;
    const declarations: string[] = [];
    const both = (local: string, member: string): void => {
      // One name, both meanings: a value (function, class, constant) and a type (interface, class instance).
      if (!clause?.isTypeOnly) declarations.push(`declare const ${local}: typeof import(${module})${member};`);
      declarations.push(`type ${local} = import(${module})${member};`);
    };
    if (clause?.name) both(clause.name.text, '.default');
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) declarations.push(`declare const ${bindings.name.text}: typeof import(${module});`);
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        const member = (element.propertyName ?? element.name).getText();
        if (element.isTypeOnly) declarations.push(`type ${element.name.text} = import(${module}).${member};`);
        else both(element.name.text, `.${member}`);
      }
    }
    text = text.slice(0, statement.getStart()) + declarations.join(' ') + text.slice(statement.end);
  }
  return text;
}
