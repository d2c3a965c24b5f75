import { h } from '../dom.js';
import { OUTPUT_TEXT_LIMIT } from './types.js';

/**
 * A <pre> showing at most a limited prefix of a (possibly growing) text. Updating it is O(shown text),
 * not O(total text): a cell printing 100,000 lines keeps the page responsive because only the first
 * OUTPUT_TEXT_LIMIT characters are ever in the DOM until the user asks for more.
 */
export class TruncatedText {
  readonly element: HTMLElement;
  private pre: HTMLPreElement;
  private more: HTMLButtonElement;
  private limit = OUTPUT_TEXT_LIMIT;
  private text = '';
  private shownLength = -1;

  constructor(className: string) {
    this.pre = h('pre', { class: className });
    this.more = h('button', { class: 'show-more', onclick: () => this.showMore() });
    this.element = h('div', { class: 'truncated' }, this.pre, this.more);
  }

  setText(text: string): void {
    this.text = text;
    this.refresh();
  }

  private showMore(): void {
    this.limit *= 4;
    this.refresh();
  }

  private refresh(): void {
    const visible = Math.min(this.text.length, this.limit);
    if (visible !== this.shownLength) {
      this.pre.textContent = this.text.slice(0, visible);
      this.shownLength = visible;
    }
    const hidden = this.text.length - visible;
    this.more.hidden = hidden <= 0;
    if (hidden > 0) {
      const hiddenLines = countLines(this.text, visible);
      this.more.textContent = `Show more (${hiddenLines.toLocaleString()} more lines, ${hidden.toLocaleString()} characters hidden)`;
    }
  }
}

function countLines(text: string, from: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n', from); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
