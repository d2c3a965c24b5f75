/** What a cell's editor reports to its notebook, whichever editor it is (Monaco or the plain one it starts with). */
export interface CellEditorKeys {
  /** Shift+Enter, Ctrl+Enter, Alt+Enter. */
  run(mode: 'advance' | 'stay' | 'insert'): void;
  /** Escape: back to command mode. */
  escape(): void;
  /** Arrow up on the first line / down on the last line: move to the neighbouring cell. */
  leave(direction: -1 | 1): void;
  save(): void;
}

/** A selection as character offsets into the source, as a textarea keeps it. */
export interface SourceSelection {
  start: number;
  end: number;
  /** The caret is at `start` (the user extended the selection backwards). */
  backward: boolean;
}

/** The editor a cell shows while it is edited or near the viewport. */
export interface CellInput {
  readonly kind: 'monaco' | 'plain';
  focus(): void;
  hasFocus(): boolean;
  dispose(): void;
}

/** The language a cell's source is highlighted as: `%%sql` cells are SQL, code cells TypeScript. */
export function languageOf(source: string, cellType: string): string {
  if (cellType === 'markdown') return 'markdown';
  if (cellType === 'raw') return 'plaintext';
  return /^\s*%%sql\b/.test(source) ? 'sql' : 'typescript';
}
