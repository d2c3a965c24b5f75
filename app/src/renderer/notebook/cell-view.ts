import type { Kernel, ServerConnection } from '@jupyterlab/services';
import { clear, formatDuration, h } from '../dom.js';
import type { CellModel, NotebookModel } from '../model/notebook-model.js';
import { OutputArea } from '../outputs/output-area.js';
import { CellEditor, type CellEditorKeys, languageOf } from './cell-editor.js';
import { renderMarkdown } from './markdown.js';

export interface CellViewHost extends CellEditorKeys {
  /** Makes `cell` the active cell; `reveal: false` when the user pointed at it (it is on screen already). */
  select(cell: CellModel, edit: boolean, options?: { reveal?: boolean }): void;
  kernel(): Kernel.IKernelConnection | null;
  settings: ServerConnection.ISettings;
  /** A shared notebook: sources are shown in read-only editors and cells cannot be dragged. */
  readonly readOnly: boolean;
  /** Drag and drop reordering: the cell being dragged was dropped before/after `target`. */
  dropCell(draggedId: string, target: CellModel, after: boolean): void;
}

/**
 * One cell: gutter (execution count, duration, drag handle), editor or rendered markdown, outputs.
 * The monaco editor is created lazily the first time the cell comes near the viewport, so opening a
 * long notebook costs one <pre> per cell, not one editor per cell.
 */
export class CellView {
  readonly element: HTMLElement;
  private prompt: HTMLElement;
  private duration: HTMLElement;
  private inputHost: HTMLElement;
  private preview: HTMLPreElement | null = null;
  private rendered: HTMLElement | null = null;
  private editor: CellEditor | null = null;
  private outputs: OutputArea;
  private editing = false;
  private outputFrame = 0;

  constructor(readonly cell: CellModel, private readonly model: NotebookModel, private readonly host: CellViewHost) {
    this.prompt = h('div', { class: 'cell-prompt' });
    this.duration = h('div', { class: 'cell-duration' });
    const handle = h('div', { class: 'drag-handle', draggable: 'true', title: 'Drag to reorder', 'aria-label': 'drag to reorder' }, '⋮⋮');
    handle.addEventListener('dragstart', (event: DragEvent) => {
      event.dataTransfer?.setData('application/x-quire-cell', cell.id);
      event.dataTransfer?.setDragImage(this.element, 20, 20);
      this.element.classList.add('dragging');
    });
    handle.addEventListener('dragend', () => this.element.classList.remove('dragging'));
    this.inputHost = h('div', { class: 'cell-input' });
    this.outputs = new OutputArea({ model, cell, settings: host.settings });
    this.element = h(
      'section',
      { class: 'cell', 'data-cell-id': cell.id, tabindex: '-1' },
      h('div', { class: 'cell-gutter' }, host.readOnly ? null : handle, this.prompt, this.duration),
      h('div', { class: 'cell-body' }, this.inputHost, this.outputs.element),
    );
    // Only a press on the input keeps edit mode. Anywhere else (the prompt, the drag handle, an output such as a
    // table header or a chart control) the browser moves focus off the editor, so the cell is selected in command
    // mode, as Jupyter does, instead of claiming edit mode with no editor to type into. No scrolling either, or
    // the page moves under the pointer before the click lands.
    this.element.addEventListener('mousedown', (event) => {
      const onInput = this.inputHost.contains(event.target as Node);
      // A press on a code input where no editor view takes it (the text shown until the editor is made, or an
      // editor made a moment ago and not laid out yet) starts edit mode itself, and keeps the browser from moving
      // focus off the editor it focuses. Rendered markdown is edited on a double-click instead.
      const editorTakesIt = (event.target as Element).closest?.('.monaco-editor') != null;
      if (onInput && !editorTakesIt && !this.rendered && event.button === 0) {
        event.preventDefault();
        this.host.select(cell, true, { reveal: false });
        return;
      }
      this.host.select(cell, this.editing && onInput, { reveal: false });
    });
    this.element.addEventListener('dragover', (event: DragEvent) => {
      if (!event.dataTransfer?.types.includes('application/x-quire-cell')) return;
      event.preventDefault();
      this.element.dataset.drop = this.dropsAfter(event) ? 'after' : 'before';
    });
    // Moving between the cell's own children fires dragleave too: only leaving the cell clears the marker.
    this.element.addEventListener('dragleave', (event: DragEvent) => {
      if (!this.element.contains(event.relatedTarget as Node | null)) delete this.element.dataset.drop;
    });
    this.element.addEventListener('drop', (event: DragEvent) => {
      const id = event.dataTransfer?.getData('application/x-quire-cell');
      const after = this.dropsAfter(event);
      delete this.element.dataset.drop;
      if (id && id !== cell.id) {
        event.preventDefault();
        this.host.dropCell(id, cell, after);
      }
    });
    this.renderInput();
    this.renderState();
    this.outputs.update(cell.outputs);
  }

  /** Redraws what changed; output updates are coalesced to one per animation frame. */
  refresh(what: 'outputs' | 'state' | 'source' | 'metadata' | 'type'): void {
    if (what === 'outputs') {
      if (this.outputFrame) return;
      this.outputFrame = requestAnimationFrame(() => {
        this.outputFrame = 0;
        this.outputs.update(this.cell.outputs);
      });
    } else if (what === 'state') {
      this.renderState();
    } else if (what === 'type') {
      this.editor?.dispose();
      this.editor = null;
      this.renderInput();
      this.renderState();
      this.outputs.update(this.cell.outputs);
    }
  }

  setSelected(selected: boolean, editing: boolean): void {
    this.element.classList.toggle('selected', selected);
    this.element.classList.toggle('editing', selected && editing);
    const wasEditing = this.editing;
    this.editing = selected && editing;
    if (this.cell.type === 'markdown' && wasEditing !== this.editing) this.renderInput();
    if (this.editing) {
      this.ensureEditor();
      this.editor?.focus();
    } else if (selected && this.element.ownerDocument.activeElement !== this.element) {
      this.element.focus({ preventScroll: true });
    }
  }

  /** Creates the editor now (called when the cell nears the viewport or is edited). */
  ensureEditor(): void {
    if (this.editor || (this.cell.type === 'markdown' && !this.editing)) return;
    this.preview?.remove();
    this.preview = null;
    const editorHost = h('div', { class: 'editor-host' });
    this.inputHost.append(editorHost);
    this.editor = new CellEditor(
      editorHost,
      this.cell.source,
      languageOf(this.cell.source, this.cell.type),
      () => this.host.kernel(),
      this.host,
      (source) => this.model.setSource(this.cell, source),
      { readOnly: this.host.readOnly },
    );
    this.editor.editor.onDidFocusEditorText(() => this.host.select(this.cell, true));
  }

  /** Markdown: leave edit mode and show the rendered text. */
  renderMarkdownNow(): void {
    if (this.cell.type !== 'markdown') return;
    this.editing = false;
    this.element.classList.remove('editing');
    this.renderInput();
  }

  dispose(): void {
    cancelAnimationFrame(this.outputFrame);
    this.editor?.dispose();
    this.outputs.dispose();
    this.element.remove();
  }

  private renderInput(): void {
    this.editor?.dispose();
    this.editor = null;
    clear(this.inputHost);
    this.preview = null;
    this.rendered = null;
    this.element.dataset.type = this.cell.type;
    if (this.cell.type === 'markdown' && !this.editing) {
      const editable = !this.host.readOnly;
      this.rendered = h('div', { class: 'markdown-body rendered-markdown', title: editable ? 'Double-click or press Enter to edit' : undefined });
      this.rendered.append(this.cell.source.trim() ? renderMarkdown(this.cell.source) : h('p', { class: 'placeholder' }, editable ? 'Empty markdown cell — double-click to edit' : 'Empty markdown cell'));
      this.rendered.addEventListener('dblclick', () => this.host.select(this.cell, true));
      this.inputHost.append(this.rendered);
      return;
    }
    this.preview = h('pre', { class: 'code-preview' }, this.cell.source || ' ');
    this.inputHost.append(this.preview);
  }

  private renderState(): void {
    const cell = this.cell;
    this.element.dataset.state = cell.runState;
    if (cell.type !== 'code') {
      this.prompt.textContent = '';
      this.duration.textContent = '';
      return;
    }
    this.prompt.textContent = cell.runState === 'running' ? '[*]' : cell.runState === 'queued' ? '[…]' : `[${cell.executionCount ?? ' '}]`;
    this.duration.textContent = cell.runState === 'idle' && cell.lastDurationMs !== null ? formatDuration(cell.lastDurationMs) : '';
  }

  /**
   * Whether a cell dropped at the pointer goes below this one: the pointer is in the lower half of the
   * cell. Measured from the cell's box, not `offsetY`, which is relative to whichever child is under the
   * pointer (an output, the editor's text).
   */
  private dropsAfter(event: DragEvent): boolean {
    const box = this.element.getBoundingClientRect();
    return event.clientY > box.top + box.height / 2;
  }
}
