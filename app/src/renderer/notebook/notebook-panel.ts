import { h } from '../dom.js';
import { CellRunner } from '../kernel/cell-runner.js';
import { type KernelStatus, NotebookSession } from '../kernel/notebook-session.js';
import type { NotebookJson } from '../model/ipynb.js';
import { type CellModel, NotebookModel } from '../model/notebook-model.js';
import { type Services, kernelFor } from '../server/services.js';
import { CellView, type CellViewHost } from './cell-view.js';
import { CommandKeymap, type NotebookCommand } from './keymap.js';
import { NotebookToolbar } from './notebook-toolbar.js';

export type SaveState = 'saved' | 'unsaved' | 'saving' | 'failed';

export interface NotebookPanelOptions {
  /** A shared notebook: shown with its saved outputs, never run, edited or saved, and no kernel is started. */
  readOnly?: boolean;
}

/** What a read-only notebook answers to: moving the selection, and entering a cell to select and copy its source. */
const READ_ONLY_COMMANDS: ReadonlySet<NotebookCommand> = new Set(['edit', 'select-previous', 'select-next']);

/**
 * An open notebook: its model, kernel session, cell views, Jupyter command/edit modes, and saving.
 */
export class NotebookPanel implements CellViewHost {
  readonly element: HTMLElement;
  readonly model: NotebookModel;
  readonly session: NotebookSession;
  readonly toolbar: NotebookToolbar;
  readonly readOnly: boolean;
  private cellsHost: HTMLElement;
  private views = new Map<string, CellView>();
  private runner: CellRunner;
  private active: CellModel;
  private editing = false;
  private keymap = new CommandKeymap();
  private observer: IntersectionObserver;
  /** Cells near the viewport still showing their source as text; their editors are made when the page is idle. */
  private editorsDue = new Set<string>();
  private editorsCallback = 0;
  private saveStateValue: SaveState = 'saved';
  private saveListeners = new Set<(state: SaveState) => void>();

  constructor(private readonly services: Services, public path: string, json: NotebookJson, { readOnly = false }: NotebookPanelOptions = {}) {
    this.readOnly = readOnly;
    this.model = new NotebookModel(json, { readOnly });
    const spec = (json.metadata.kernelspec as { name?: string } | undefined)?.name;
    this.session = new NotebookSession(services.sessions, path, kernelFor(services, spec));
    this.runner = new CellRunner(this.model, () => this.session.kernel);
    this.active = this.model.cells[0]!;
    this.toolbar = new NotebookToolbar(this);
    this.cellsHost = h('div', { class: 'cells', role: 'list' });
    this.element = h('div', { class: `notebook-panel${readOnly ? ' read-only' : ''}`, tabindex: '-1' }, this.toolbar.element, h('div', { class: 'notebook-scroll' }, this.cellsHost));
    this.element.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.observer = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        const id = (entry.target as HTMLElement).dataset.cellId ?? '';
        if (entry.isIntersecting) this.editorsDue.add(id);
        else this.editorsDue.delete(id);
      }
      this.scheduleEditors();
    }, { rootMargin: '400px 0px' });
    this.model.on((event) => {
      if (event.kind === 'cells-changed') this.syncCells();
      else if (event.kind === 'cell-changed') this.views.get(event.cell.id)?.refresh(event.what);
      else if (event.kind === 'dirty-changed' && event.dirty) this.setSaveState('unsaved');
    });
    this.syncCells();
    this.select(this.active, false);
  }

  get settings() {
    return this.services.settings;
  }

  get saveState(): SaveState {
    return this.saveStateValue;
  }

  onSaveState(listener: (state: SaveState) => void): () => void {
    this.saveListeners.add(listener);
    return () => this.saveListeners.delete(listener);
  }

  kernel() {
    return this.session.kernel;
  }

  /** Starts the notebook's kernel session; a read-only notebook has none. */
  async start(): Promise<void> {
    if (this.readOnly) return;
    await this.session.start();
  }

  kernelStatus(): KernelStatus {
    return this.session.status;
  }

  // ---- CellViewHost ----
  select(cell: CellModel, edit: boolean, { reveal = true }: { reveal?: boolean } = {}): void {
    // Editing a markdown cell shows its source instead of the text: a read-only one stays rendered.
    if (this.readOnly && cell.type === 'markdown') edit = false;
    const previous = this.views.get(this.active.id);
    if (this.active !== cell) previous?.setSelected(false, false);
    this.active = cell;
    this.editing = edit;
    this.views.get(cell.id)?.setSelected(true, edit);
    if (!edit) this.element.focus({ preventScroll: true });
    if (reveal) this.views.get(cell.id)?.element.scrollIntoView({ block: 'nearest' });
  }

  run(mode: 'advance' | 'stay' | 'insert'): void {
    if (this.readOnly) return;
    const cell = this.active;
    void this.runCell(cell);
    const index = this.model.indexOf(cell);
    if (mode === 'insert' || (mode === 'advance' && index === this.model.cells.length - 1)) {
      this.select(this.model.insert(index + 1, 'code'), true);
    } else if (mode === 'advance') {
      this.select(this.model.cells[index + 1]!, false);
    } else {
      this.select(cell, false);
    }
  }

  escape(): void {
    this.select(this.active, false);
  }

  leave(direction: -1 | 1): void {
    const next = this.model.cells[this.model.indexOf(this.active) + direction];
    if (next) this.select(next, true);
  }

  save(): void {
    if (this.readOnly) return;
    void this.saveNow();
  }

  dropCell(draggedId: string, target: CellModel, after: boolean): void {
    if (this.readOnly) return;
    const dragged = this.model.cells.find((cell) => cell.id === draggedId);
    if (!dragged) return;
    const without = this.model.cells.filter((cell) => cell !== dragged);
    const index = without.indexOf(target) + (after ? 1 : 0);
    this.model.move(dragged, index);
  }

  // ---- commands ----
  async runCell(cell: CellModel): Promise<void> {
    if (this.readOnly) return;
    if (cell.type === 'markdown') {
      this.views.get(cell.id)?.renderMarkdownNow();
      return;
    }
    await this.runner.run(cell);
  }

  async runRange(which: 'all' | 'above' | 'below'): Promise<void> {
    if (this.readOnly) return;
    const index = this.model.indexOf(this.active);
    const cells = which === 'all' ? this.model.cells : which === 'above' ? this.model.cells.slice(0, index) : this.model.cells.slice(index);
    for (const cell of [...cells]) {
      await this.runCell(cell);
      if (cell.outputs.some((output) => output.output_type === 'error')) break;
    }
  }

  async saveNow(): Promise<void> {
    if (this.readOnly) throw new Error(`${this.path} is a shared notebook, open read-only: Fork to edit makes a copy you can change and save`);
    this.setSaveState('saving');
    try {
      const content = this.model.toJson();
      await this.services.contents.save(this.path, { type: 'notebook', format: 'json', content });
      this.model.markDirty(false);
      this.setSaveState('saved');
    } catch (error) {
      this.setSaveState('failed');
      throw error;
    }
  }

  command(command: NotebookCommand): void {
    if (this.readOnly && !READ_ONLY_COMMANDS.has(command)) return;
    const index = this.model.indexOf(this.active);
    switch (command) {
      case 'edit':
        return this.select(this.active, true);
      case 'run-advance':
        return this.run('advance');
      case 'run-stay':
        return this.run('stay');
      case 'run-insert':
        return this.run('insert');
      case 'insert-above':
        return this.select(this.model.insert(index, 'code'), false);
      case 'insert-below':
        return this.select(this.model.insert(index + 1, 'code'), false);
      case 'delete': {
        const next = this.model.cells[index + 1] ?? this.model.cells[index - 1];
        this.model.remove(this.active);
        return this.select(next && this.model.indexOf(next) >= 0 ? next : this.model.cells[0]!, false);
      }
      case 'undo-delete': {
        const restored = this.model.undoDelete();
        if (restored) this.select(restored, false);
        return;
      }
      case 'to-markdown':
        return this.model.setType(this.active, 'markdown');
      case 'to-code':
        return this.model.setType(this.active, 'code');
      case 'save':
        return this.save();
      case 'select-previous':
        if (index > 0) this.select(this.model.cells[index - 1]!, false);
        return;
      case 'select-next':
        if (index < this.model.cells.length - 1) this.select(this.model.cells[index + 1]!, false);
        return;
      case 'interrupt':
        void this.session.interrupt();
        return;
      case 'restart':
        void this.session.restart();
        return;
    }
  }

  async dispose(): Promise<void> {
    this.observer.disconnect();
    cancelIdleCallback(this.editorsCallback);
    for (const view of this.views.values()) view.dispose();
    this.views.clear();
    await this.session.shutdown();
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (this.editing) return;
    const target = event.target as HTMLElement;
    if (target.closest('input, select, textarea, .monaco-editor')) return;
    const command = this.keymap.handle(event);
    if (!command) return;
    event.preventDefault();
    event.stopPropagation();
    this.command(command);
  }

  /** Adds, removes and reorders cell views to match the model, reusing views that still exist. */
  private syncCells(): void {
    const wanted = new Set(this.model.cells.map((cell) => cell.id));
    for (const [id, view] of this.views) {
      if (!wanted.has(id)) {
        view.dispose();
        this.views.delete(id);
      }
    }
    let previous: Element | null = null;
    for (const cell of this.model.cells) {
      let view = this.views.get(cell.id);
      if (!view) {
        view = new CellView(cell, this.model, this);
        this.views.set(cell.id, view);
        this.observer.observe(view.element);
      }
      const expectedPosition: ChildNode | null = previous ? previous.nextSibling : this.cellsHost.firstChild;
      if (expectedPosition !== view.element) this.cellsHost.insertBefore(view.element, expectedPosition);
      previous = view.element;
    }
  }

  /**
   * Makes the editors of cells that came near the viewport, in idle time and only while it lasts: a jump to
   * the end of a long notebook brings several cells at once, and making all their editors in one task would
   * hold up the click or key the user is making. A cell being edited gets its editor at once (`select`).
   */
  private scheduleEditors(): void {
    if (this.editorsCallback || this.editorsDue.size === 0) return;
    this.editorsCallback = requestIdleCallback((deadline) => {
      this.editorsCallback = 0;
      for (const id of this.editorsDue) {
        this.editorsDue.delete(id);
        const view = this.views.get(id);
        if (view) {
          view.ensureEditor();
          this.observer.unobserve(view.element);
        }
        if (deadline.timeRemaining() <= 0) break;
      }
      this.scheduleEditors();
    }, { timeout: 1_000 });
  }

  private setSaveState(state: SaveState): void {
    this.saveStateValue = state;
    for (const listener of this.saveListeners) listener(state);
  }
}
