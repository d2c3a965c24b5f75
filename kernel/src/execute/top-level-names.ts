/** The names a cell declares at top level, with where each name is written. */
import ts from 'typescript';

export interface DeclaredName {
  name: string;
  start: number;
  end: number;
}

export function topLevelNames(source: string): DeclaredName[] {
  const file = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const names: DeclaredName[] = [];
  const add = (identifier: ts.Identifier): void => void names.push({ name: identifier.text, start: identifier.getStart(), end: identifier.end });
  const addBinding = (binding: ts.BindingName): void => {
    if (ts.isIdentifier(binding)) add(binding);
    else for (const element of binding.elements) if (!ts.isOmittedExpression(element)) addBinding(element.name);
  };
  for (const statement of file.statements) {
    if (ts.isVariableStatement(statement)) statement.declarationList.declarations.forEach((d) => addBinding(d.name));
    else if (
      (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isEnumDeclaration(statement) ||
        ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement)) &&
      statement.name
    ) {
      add(statement.name);
    }
  }
  return names;
}
