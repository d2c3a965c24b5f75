import {
  type CellJson,
  type CellType,
  type NotebookJson,
  type Output,
  joinSource,
  newCellId,
  outputToJson,
} from './ipynb.js';

/** One cell's live state. Views observe it through `NotebookModel` events. */
export interface CellModel {
  id: string;
  type: CellType;
  source: string;
  metadata: Record<string, unknown>;
  outputs: Output[];
  executionCount: number | null;
  /** Runtime only, not saved: 'idle' | 'queued' | 'running'. */
  runState: 'idle' | 'queued' | 'running';
  /** Milliseconds the last run took, shown beside the execution count. */
  lastDurationMs: number | null;
}

export type NotebookEvent =
  | { kind: 'cells-changed' }
  | { kind: 'cell-changed'; cell: CellModel; what: 'outputs' | 'state' | 'source' | 'metadata' | 'type' }
  | { kind: 'dirty-changed'; dirty: boolean };

type Listener = (event: NotebookEvent) => void;

/**
 * The cells of one notebook, their order, the dirty flag, and the stack of deleted cells for undo. A read-only
 * model (a shared notebook) refuses every change to its cells; view choices kept in metadata (a table's chart)
 * still apply while it is open, but never make it dirty, as there is nowhere to save them.
 */
export class NotebookModel {
  readonly cells: CellModel[] = [];
  readonly readOnly: boolean;
  metadata: Record<string, unknown>;
  private nbformatMinor: number;
  private listeners = new Set<Listener>();
  private deleted: Array<{ cell: CellModel; index: number }> = [];
  private dirtyFlag = false;

  constructor(json: NotebookJson, { readOnly = false }: { readOnly?: boolean } = {}) {
    this.readOnly = readOnly;
    if (json.nbformat !== 4) throw new Error(`unsupported notebook format ${json.nbformat}: only nbformat 4 is read`);
    this.metadata = json.metadata ?? {};
    this.nbformatMinor = json.nbformat_minor ?? 5;
    for (const cell of json.cells) this.cells.push(cellFromJson(cell));
    if (this.cells.length === 0) this.cells.push(newCell('code'));
  }

  get dirty(): boolean {
    return this.dirtyFlag;
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: NotebookEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  markDirty(dirty = true): void {
    if (this.dirtyFlag === dirty || (dirty && this.readOnly)) return;
    this.dirtyFlag = dirty;
    this.emit({ kind: 'dirty-changed', dirty });
  }

  indexOf(cell: CellModel): number {
    return this.cells.indexOf(cell);
  }

  insert(index: number, type: CellType, source = ''): CellModel {
    this.assertWritable('insert a cell');
    const cell = newCell(type, source);
    this.cells.splice(clamp(index, 0, this.cells.length), 0, cell);
    this.changedStructure();
    return cell;
  }

  remove(cell: CellModel): void {
    this.assertWritable('delete a cell');
    const index = this.indexOf(cell);
    if (index < 0) return;
    this.cells.splice(index, 1);
    this.deleted.push({ cell, index });
    if (this.cells.length === 0) this.cells.push(newCell('code'));
    this.changedStructure();
  }

  /** Brings back the most recently deleted cell at its old position; returns it, or null if none. */
  undoDelete(): CellModel | null {
    this.assertWritable('undo a delete');
    const last = this.deleted.pop();
    if (!last) return null;
    this.cells.splice(clamp(last.index, 0, this.cells.length), 0, last.cell);
    this.changedStructure();
    return last.cell;
  }

  move(cell: CellModel, toIndex: number): void {
    this.assertWritable('move a cell');
    const from = this.indexOf(cell);
    if (from < 0) return;
    this.cells.splice(from, 1);
    this.cells.splice(clamp(toIndex, 0, this.cells.length), 0, cell);
    this.changedStructure();
  }

  setSource(cell: CellModel, source: string): void {
    if (cell.source === source) return;
    this.assertWritable('edit a cell');
    cell.source = source;
    this.markDirty();
  }

  setType(cell: CellModel, type: CellType): void {
    if (cell.type === type) return;
    this.assertWritable('change a cell type');
    cell.type = type;
    cell.outputs = [];
    cell.executionCount = null;
    this.markDirty();
    this.emit({ kind: 'cell-changed', cell, what: 'type' });
  }

  setMetadata(cell: CellModel, key: string, value: unknown): void {
    cell.metadata = { ...cell.metadata, [key]: value };
    this.markDirty();
    this.emit({ kind: 'cell-changed', cell, what: 'metadata' });
  }

  clearOutputs(cell: CellModel): void {
    this.assertWritable('clear outputs');
    cell.outputs = [];
    this.markDirty();
    this.emit({ kind: 'cell-changed', cell, what: 'outputs' });
  }

  toJson(): NotebookJson {
    return {
      nbformat: 4,
      nbformat_minor: this.nbformatMinor,
      metadata: this.metadata,
      cells: this.cells.map(cellToJson),
    };
  }

  /** The views never offer these on a read-only notebook: reaching one is a bug, and says so. */
  private assertWritable(what: string): void {
    if (this.readOnly) throw new Error(`cannot ${what}: this notebook is read-only (fork it to edit)`);
  }

  private changedStructure(): void {
    this.markDirty();
    this.emit({ kind: 'cells-changed' });
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.max(min, Math.min(max, value));
}

function newCell(type: CellType, source = ''): CellModel {
  return {
    id: newCellId(),
    type,
    source,
    metadata: {},
    outputs: [],
    executionCount: null,
    runState: 'idle',
    lastDurationMs: null,
  };
}

function cellFromJson(json: CellJson): CellModel {
  const outputs = (json.outputs ?? []).map((output) =>
    output.output_type === 'stream' ? { ...output, text: joinSource(output.text as string | string[]) } : output,
  );
  const quire = (json.metadata?.quire ?? {}) as { durationMs?: number };
  return {
    id: json.id ?? newCellId(),
    type: json.cell_type,
    source: joinSource(json.source),
    metadata: json.metadata ?? {},
    outputs,
    executionCount: json.execution_count ?? null,
    runState: 'idle',
    lastDurationMs: typeof quire.durationMs === 'number' ? quire.durationMs : null,
  };
}

function cellToJson(cell: CellModel): CellJson {
  const base = { id: cell.id, cell_type: cell.type, source: cell.source, metadata: cell.metadata };
  if (cell.type !== 'code') return base;
  return { ...base, outputs: cell.outputs.map(outputToJson), execution_count: cell.executionCount };
}
