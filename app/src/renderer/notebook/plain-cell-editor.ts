import { h } from '../dom.js';
import type { CellEditorKeys, CellInput, SourceSelection } from './cell-input.js';

const TAB_SIZE = 2;

/**
 * A textarea standing in for Monaco while it loads: a cell put in edit mode before then takes keys at once,
 * with the cell keys Monaco's editor binds (run, escape, save, leaving at the first or last line), and its
 * text and caret go to the Monaco editor that replaces it. Nothing typed is lost, and Shift+Enter runs what
 * was typed, because every input goes to the notebook model as it happens.
 */
export class PlainCellEditor implements CellInput {
  readonly kind = 'plain';
  readonly element: HTMLTextAreaElement;
  private composing = false;
  private afterComposition: (() => void) | null = null;

  constructor(host: HTMLElement, source: string, private readonly keys: CellEditorKeys, private readonly onChange: (source: string) => void) {
    this.element = h('textarea', { class: 'plain-cell-editor', rows: 1, spellcheck: 'false', autocapitalize: 'off', autocomplete: 'off', 'aria-label': 'cell source' });
    this.element.value = source;
    this.element.addEventListener('input', () => {
      this.fit();
      this.onChange(this.element.value);
    });
    this.element.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.element.addEventListener('compositionstart', () => (this.composing = true));
    this.element.addEventListener('compositionend', () => {
      this.composing = false;
      const next = this.afterComposition;
      this.afterComposition = null;
      next?.();
    });
    host.append(this.element);
    this.fit();
  }

  get value(): string {
    return this.element.value;
  }

  get selection(): SourceSelection {
    const { selectionStart: start, selectionEnd: end, selectionDirection } = this.element;
    return { start, end, backward: selectionDirection === 'backward' };
  }

  focus(): void {
    this.element.focus({ preventScroll: true });
  }

  hasFocus(): boolean {
    return this.element.ownerDocument.activeElement === this.element;
  }

  onFocus(listener: () => void): void {
    this.element.addEventListener('focus', listener);
  }

  /** Runs `handOver` now, or when the input method finishes the text being composed (it lives in this textarea). */
  whenNotComposing(handOver: () => void): void {
    if (this.composing) this.afterComposition = handOver;
    else handOver();
  }

  dispose(): void {
    this.afterComposition = null;
    this.element.remove();
  }

  /** As tall as its text (a textarea is two rows high by default and `height: auto` falls back to that). */
  private fit(): void {
    this.element.style.height = 'auto';
    this.element.style.height = `${this.element.scrollHeight}px`;
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (event.isComposing) return;
    const action = this.actionFor(event);
    if (!action) return;
    event.preventDefault();
    event.stopPropagation();
    action();
  }

  private actionFor(event: KeyboardEvent): (() => void) | null {
    const ctrl = event.ctrlKey || event.metaKey;
    const plain = !ctrl && !event.altKey && !event.shiftKey;
    if (event.key === 'Enter' && event.shiftKey && !ctrl && !event.altKey) return () => this.keys.run('advance');
    if (event.key === 'Enter' && ctrl && !event.shiftKey && !event.altKey) return () => this.keys.run('stay');
    if (event.key === 'Enter' && event.altKey && !ctrl && !event.shiftKey) return () => this.keys.run('insert');
    if (event.key === 'Escape' && plain) return () => this.keys.escape();
    if (event.key.toLowerCase() === 's' && ctrl && !event.altKey && !event.shiftKey) return () => this.keys.save();
    if (event.key === 'Tab' && plain) return () => this.indent();
    const { selectionStart, value } = this.element;
    if (event.key === 'ArrowUp' && plain && !value.slice(0, selectionStart).includes('\n')) return () => this.keys.leave(-1);
    if (event.key === 'ArrowDown' && plain && !value.slice(selectionStart).includes('\n')) return () => this.keys.leave(1);
    return null;
  }

  /** Tab indents to the next tab stop with spaces, as the Monaco editor does, instead of leaving the cell. */
  private indent(): void {
    const { selectionStart, selectionEnd, value } = this.element;
    const column = selectionStart - (value.lastIndexOf('\n', selectionStart - 1) + 1);
    this.element.setRangeText(' '.repeat(TAB_SIZE - (column % TAB_SIZE)), selectionStart, selectionEnd, 'end');
    this.fit();
    this.onChange(this.element.value);
  }
}
