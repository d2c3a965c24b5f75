import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { APP_DIST } from './support/backend.js';

/**
 * The built UI keeps Monaco out of the script the page parses before its first paint: the entry and the
 * chunks it imports statically must not contain it; it comes as a chunk of its own, loaded on demand.
 * Monaco is recognised by `MonacoEnvironment`, the global it reads its worker factory from (a property name,
 * which minification keeps).
 */
const MONACO_MARK = 'MonacoEnvironment';

function distFile(relative: string): string {
  const path = join(APP_DIST, relative);
  if (!existsSync(path)) throw new Error(`the UI is not built: run \`npm run build -w app\` (no ${path})`);
  return readFileSync(path, 'utf8');
}

/** The entry script and every chunk it reaches through static imports, as paths under dist/. */
function staticallyLoaded(): string[] {
  const html = distFile('index.html');
  const entry = /<script type="module"[^>]*src="\.\/([^"]+)"/.exec(html)?.[1];
  if (!entry) throw new Error('dist/index.html has no module script');
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const dir = path.slice(0, path.lastIndexOf('/') + 1);
    for (const match of distFile(path).matchAll(/\bimport\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']\.\/([^"']+\.js)["']/g)) visit(dir + match[1]);
  };
  visit(entry);
  return [...seen];
}

describe('start-up bundle', () => {
  it('parses no Monaco before the first paint, and has Monaco as a chunk of its own', () => {
    const initial = staticallyLoaded();
    expect(initial.filter((path) => distFile(path).includes(MONACO_MARK))).toEqual([]);
    const entry = distFile(initial[0]!);
    const monacoChunk = /["']\.\/(monaco-cell-editor-[\w-]+\.js)["']/.exec(entry)?.[1];
    expect(monacoChunk, 'the entry names the Monaco chunk it loads on demand').toBeDefined();
    expect(distFile(`assets/${monacoChunk}`)).toContain(MONACO_MARK);
  });
});
