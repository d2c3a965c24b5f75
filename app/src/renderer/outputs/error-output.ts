import { h } from '../dom.js';
import type { ErrorOutput } from '../model/ipynb.js';
import { stripAnsi } from './ansi.js';

/**
 * An error: the name and message, the failing line of the user's cell (shown up front), and the full
 * traceback folded in a <details>.
 */
export function renderError(output: ErrorOutput): HTMLElement {
  const traceback = output.traceback.map(stripAnsi);
  const failing = failingLine(traceback);
  return h(
    'div',
    { class: 'output-error', role: 'alert' },
    h('div', { class: 'error-title' }, h('strong', {}, output.ename), output.evalue ? `: ${stripAnsi(output.evalue)}` : ''),
    failing ? h('pre', { class: 'error-line' }, failing) : null,
    traceback.length > 0
      ? h('details', { class: 'error-traceback' }, h('summary', {}, `Traceback (${traceback.length} lines)`), h('pre', {}, traceback.join('\n')))
      : null,
  );
}

/**
 * The failing line of the user's cell. Quire's kernel opens the traceback with an excerpt ("cell 2, line 2:",
 * the source line, a caret under the failing column): that is shown whole. Other kernels get the innermost
 * frame naming a cell line: IPython lists frames outermost first ("----> 3", "line 3"), JavaScript stacks
 * innermost first ("at f (cell 2:3:5)").
 */
function failingLine(traceback: string[]): string | null {
  const lines = traceback.flatMap((entry) => entry.split('\n'));
  const excerpt = lines.findIndex((line) => /^\S.*, line \d+:$/.test(line.trimEnd()));
  if (excerpt >= 0 && lines[excerpt + 1]?.trim()) {
    const caret = /^\s*\^\s*$/.test(lines[excerpt + 2] ?? '') ? 3 : 2;
    return lines.slice(excerpt, excerpt + caret).map((line) => line.trimEnd()).join('\n');
  }
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!.trim();
    if (/^-+>\s*\d+/.test(line) || /\bline \d+\b/.test(line)) return line;
  }
  return lines.find((line) => /^\s*at .*\b(cell|<cell>)[^:]*:\d+/.test(line))?.trim() ?? null;
}
