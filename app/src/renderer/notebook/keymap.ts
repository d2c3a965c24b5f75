/**
 * Jupyter's command-mode keys. A binding is a key chord ("Shift+Enter", "Ctrl+S") or a double press
 * of one key ("D D"); `CommandKeymap.handle` returns the command to run for a keydown, if any.
 */
export type NotebookCommand =
  | 'edit'
  | 'run-advance'
  | 'run-stay'
  | 'run-insert'
  | 'insert-above'
  | 'insert-below'
  | 'delete'
  | 'to-markdown'
  | 'to-code'
  | 'undo-delete'
  | 'save'
  | 'select-previous'
  | 'select-next'
  | 'interrupt'
  | 'restart';

export const COMMAND_MODE_KEYS: Record<string, NotebookCommand> = {
  Enter: 'edit',
  'Shift+Enter': 'run-advance',
  'Ctrl+Enter': 'run-stay',
  'Alt+Enter': 'run-insert',
  A: 'insert-above',
  B: 'insert-below',
  'D D': 'delete',
  M: 'to-markdown',
  Y: 'to-code',
  Z: 'undo-delete',
  'Ctrl+S': 'save',
  ArrowUp: 'select-previous',
  K: 'select-previous',
  ArrowDown: 'select-next',
  J: 'select-next',
  'I I': 'interrupt',
  '0 0': 'restart',
};

const DOUBLE_PRESS_MS = 800;

export function chordOf(event: KeyboardEvent): string {
  const parts: string[] = [];
  if (event.ctrlKey || event.metaKey) parts.push('Ctrl');
  if (event.altKey) parts.push('Alt');
  if (event.shiftKey) parts.push('Shift');
  parts.push(keyName(event));
  return parts.join('+');
}

/**
 * The key as the bindings name it. A Latin letter or digit is taken as typed, so the keys follow the
 * letters on AZERTY or Dvorak keyboards; any other character (a Cyrillic or Greek layout) is taken by the
 * physical key it sits on, so "D D" still deletes there, as in Jupyter.
 */
function keyName(event: KeyboardEvent): string {
  if (event.key.length !== 1) return event.key;
  const typed = event.key.toUpperCase();
  if (/^[A-Z0-9]$/.test(typed)) return typed;
  const physical = /^(?:Key([A-Z])|Digit([0-9]))$/.exec(event.code);
  return physical ? (physical[1] ?? physical[2])! : typed;
}

export class CommandKeymap {
  private lastKey = '';
  private lastTime = 0;

  constructor(private readonly bindings: Record<string, NotebookCommand> = COMMAND_MODE_KEYS) {}

  handle(event: KeyboardEvent): NotebookCommand | null {
    const chord = chordOf(event);
    const now = event.timeStamp || performance.now();
    const double = `${this.lastKey} ${chord}`;
    if (this.lastKey === chord && now - this.lastTime < DOUBLE_PRESS_MS && this.bindings[double]) {
      this.lastKey = '';
      return this.bindings[double]!;
    }
    this.lastKey = chord;
    this.lastTime = now;
    return this.bindings[chord] ?? null;
  }
}
