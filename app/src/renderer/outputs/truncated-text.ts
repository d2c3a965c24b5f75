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
  /** Hidden newlines counted so far, from `countedFrom` up to `countedTo`: a growing stream is counted once. */
  private hiddenLines = 0;
  private countedFrom = -1;
  private countedTo = 0;

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
    const visible = this.visibleLength();
    if (visible !== this.shownLength) {
      this.pre.textContent = this.text.slice(0, visible);
      this.shownLength = visible;
    }
    const hidden = this.text.length - visible;
    this.more.hidden = hidden <= 0;
    if (hidden > 0) {
      this.more.textContent = `Show more (${this.countHiddenLines(visible).toLocaleString()} more lines, ${hidden.toLocaleString()} characters hidden)`;
    }
  }

  /**
   * Up to `limit` characters, cut after the last whole line that fits so the view never ends in half a line
   * (a single line longer than the limit is cut inside it). A growing stream keeps its cut: the prefix is fixed.
   */
  private visibleLength(): number {
    if (this.text.length <= this.limit) return this.text.length;
    const lastNewline = this.text.lastIndexOf('\n', this.limit - 1);
    return lastNewline >= 0 ? lastNewline + 1 : this.limit;
  }

  /** Streams only grow, so only text past what was counted before is scanned; anything else recounts. */
  private countHiddenLines(from: number): number {
    if (from !== this.countedFrom || this.text.length < this.countedTo) {
      this.countedFrom = from;
      this.countedTo = from;
      this.hiddenLines = 0;
    }
    this.hiddenLines += countLines(this.text, this.countedTo, this.text.length);
    this.countedTo = this.text.length;
    return this.hiddenLines;
  }
}

function countLines(text: string, from: number, to: number): number {
  let lines = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) lines++;
  return lines;
}
