import { describe, expect, it } from 'vitest';
import { CellSyntaxError, transformCell } from './cell-transform.js';

describe('transformCell', () => {
  it('turns top-level declarations into global assignments and returns the last expression', () => {
    const { code } = transformCell('const a: number = 1, { b } = { b: 2 };\nlet c;\nclass K {}\na + b', 'cell.ts');
    expect(code).toContain('a = 1;');
    expect(code).toContain('({ b } = { b: 2 })');
    expect(code).toContain('c = undefined');
    expect(code).toContain('K = class K');
    expect(code).toContain('return { value: (a + b) }');
    expect(code).not.toMatch(/\b(const|let)\b/);
  });

  it('rewrites static imports to awaited dynamic imports and keeps imports only used later', () => {
    const { code } = transformCell("import fs, { join as j } from 'node:path';\nimport * as os from 'node:os';\nimport 'node:fs';", 'cell.ts');
    expect(code).toContain('fs = (await __quireImport("node:path")).default;');
    expect(code).toContain('({ join: j } = (await __quireImport("node:path")));');
    expect(code).toContain('os = (await __quireImport("node:os"));');
    expect(code).toContain('(await __quireImport("node:fs"));');
  });

  it('keeps every statement on its own line so source maps still point at the cell', () => {
    const source = "import { a } from 'm';\nconst x = 1;\nfunction f() {\n  throw new Error('x');\n}";
    const { code } = transformCell(source, 'cell.ts');
    expect(code.split('\n')[3]).toContain("throw new Error('x')");
  });

  it('reports syntax errors with the line and column', () => {
    expect(() => transformCell('const ok = 1;\nlet y = (', 'cell.ts')).toThrow(CellSyntaxError);
    try {
      transformCell('const ok = 1;\nlet y = (', 'cell.ts');
    } catch (error) {
      expect((error as CellSyntaxError).line).toBe(2);
    }
  });

  it('refuses exports with a clear message', () => {
    expect(() => transformCell('export const x = 1;\nexport default x;', 'cell.ts')).toThrow(/cannot export/);
  });
});
