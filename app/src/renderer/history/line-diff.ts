/** A line diff (longest common subsequence), enough for comparing notebook versions cell by cell. */
export type DiffLine = { kind: 'same' | 'added' | 'removed'; text: string };

const MAX_CELLS = 4_000_000;

export function diffLines(before: string[], after: string[]): DiffLine[] {
  if (before.length * after.length > MAX_CELLS) {
    // Too large for a table-based LCS: show it as a replacement rather than stall the UI.
    return [...before.map((text) => ({ kind: 'removed' as const, text })), ...after.map((text) => ({ kind: 'added' as const, text }))];
  }
  const rows = before.length + 1;
  const cols = after.length + 1;
  const lengths = new Uint32Array(rows * cols);
  for (let i = before.length - 1; i >= 0; i--) {
    for (let j = after.length - 1; j >= 0; j--) {
      lengths[i * cols + j] = before[i] === after[j] ? lengths[(i + 1) * cols + j + 1]! + 1 : Math.max(lengths[(i + 1) * cols + j]!, lengths[i * cols + j + 1]!);
    }
  }
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < before.length && j < after.length) {
    if (before[i] === after[j]) {
      out.push({ kind: 'same', text: before[i]! });
      i++;
      j++;
    } else if (lengths[(i + 1) * cols + j]! >= lengths[i * cols + j + 1]!) {
      out.push({ kind: 'removed', text: before[i++]! });
    } else {
      out.push({ kind: 'added', text: after[j++]! });
    }
  }
  while (i < before.length) out.push({ kind: 'removed', text: before[i++]! });
  while (j < after.length) out.push({ kind: 'added', text: after[j++]! });
  return out;
}

/** A notebook as diffable lines: each cell's source under a header naming its type. */
export function notebookLines(cells: Array<{ cell_type: string; source: string | string[] }>): string[] {
  return cells.flatMap((cell, index) => [
    `── cell ${index + 1} (${cell.cell_type}) ──`,
    ...(Array.isArray(cell.source) ? cell.source.join('') : cell.source).split('\n'),
  ]);
}
