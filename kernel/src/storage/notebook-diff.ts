/**
 * Cell-by-cell difference between two notebooks: cells are matched by id (nbformat 4.5), and each
 * is reported added, removed, modified (source, outputs or type changed) or unchanged, in the order
 * of the newer notebook with removed cells placed where they were.
 */

export interface CellChange {
  id: string;
  change: 'added' | 'removed' | 'modified' | 'unchanged';
  cellType: string;
  /** What changed, for modified cells. */
  fields?: Array<'source' | 'outputs' | 'cell_type' | 'metadata'>;
  before?: string;
  after?: string;
}

type Cell = Record<string, unknown>;

function text(value: unknown): string {
  return Array.isArray(value) ? value.join('') : typeof value === 'string' ? value : '';
}

function cellsOf(notebook: unknown): Cell[] {
  const cells = (notebook as { cells?: unknown })?.cells;
  if (!Array.isArray(cells)) throw new Error('not a notebook: no cells list');
  return cells as Cell[];
}

export function diffNotebooks(before: unknown, after: unknown): CellChange[] {
  const oldCells = cellsOf(before);
  const newCells = cellsOf(after);
  const oldById = new Map(oldCells.map((cell, i) => [String(cell.id ?? `#${i}`), cell]));
  const newIds = new Set(newCells.map((cell, i) => String(cell.id ?? `#${i}`)));
  const changes: CellChange[] = [];
  let oldIndex = 0;
  const flushRemoved = (upTo: number) => {
    for (; oldIndex < upTo; oldIndex++) {
      const cell = oldCells[oldIndex];
      const id = String(cell.id ?? `#${oldIndex}`);
      if (!newIds.has(id)) changes.push({ id, change: 'removed', cellType: String(cell.cell_type), before: text(cell.source) });
    }
  };
  newCells.forEach((cell, i) => {
    const id = String(cell.id ?? `#${i}`);
    const old = oldById.get(id);
    if (!old) {
      changes.push({ id, change: 'added', cellType: String(cell.cell_type), after: text(cell.source) });
      return;
    }
    flushRemoved(oldCells.indexOf(old));
    const fields: CellChange['fields'] = [];
    if (text(old.source) !== text(cell.source)) fields.push('source');
    if (old.cell_type !== cell.cell_type) fields.push('cell_type');
    if (JSON.stringify(old.outputs ?? []) !== JSON.stringify(cell.outputs ?? [])) fields.push('outputs');
    if (JSON.stringify(old.metadata ?? {}) !== JSON.stringify(cell.metadata ?? {})) fields.push('metadata');
    changes.push(
      fields.length
        ? { id, change: 'modified', cellType: String(cell.cell_type), fields, before: text(old.source), after: text(cell.source) }
        : { id, change: 'unchanged', cellType: String(cell.cell_type) },
    );
  });
  flushRemoved(oldCells.length);
  return changes;
}

/** A terminal rendering: one line per cell, with -/+ source lines for changes. */
export function formatDiff(changes: CellChange[]): string {
  const marks = { added: '+', removed: '-', modified: '~', unchanged: ' ' } as const;
  const lines: string[] = [];
  for (const change of changes) {
    lines.push(`${marks[change.change]} [${change.cellType} ${change.id}] ${change.change}${change.fields ? ` (${change.fields.join(', ')})` : ''}`);
    if (change.change === 'unchanged') continue;
    if (change.before !== undefined && change.change !== 'added' && change.before !== change.after) for (const line of change.before.split('\n')) lines.push(`    - ${line}`);
    if (change.after !== undefined && change.before !== change.after) for (const line of change.after.split('\n')) lines.push(`    + ${line}`);
  }
  return lines.join('\n');
}
