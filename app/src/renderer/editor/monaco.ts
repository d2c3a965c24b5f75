import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/sql/register';
import 'monaco-editor/languages/definitions/markdown/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { currentTheme, onThemeChange } from '../theme/theme.js';

/**
 * Monaco with only what cells need: the editor core, TypeScript / SQL / Markdown highlighting, and the
 * base editor worker (bundled, same origin). Completions and hovers come from the kernel, not from a
 * TypeScript worker in the page, because only the kernel knows the notebook's live variables.
 */
(self as unknown as { MonacoEnvironment: monaco.Environment }).MonacoEnvironment = {
  getWorker: () => new EditorWorker(),
};

let themed = false;
function applyTheme(): void {
  monaco.editor.setTheme(currentTheme() === 'dark' ? 'vs-dark' : 'vs');
}

export function ensureMonacoTheme(): void {
  if (themed) return;
  themed = true;
  applyTheme();
  onThemeChange(applyTheme);
}

export { monaco };
