import { h } from '../dom.js';
import type { ErrorOutput } from '../model/ipynb.js';
import { stripAnsi } from './ansi.js';

/**
 * An error: the name and message, the failing line (the traceback's last line that points into the
 * cell, shown up front), and the full traceback folded in a <details>.
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

/** The most specific traceback line naming a cell line ("line 3", "----> 3", "cell:3:5"). */
function failingLine(traceback: string[]): string | null {
  const lines = traceback.flatMap((entry) => entry.split('\n'));
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    if (/^-+>\s*\d+/.test(line.trim()) || /\bline \d+\b/.test(line) || /(cell|<cell>)[^:]*:\d+/.test(line)) return line.trim();
  }
  return null;
}
