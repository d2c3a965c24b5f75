/** Kernel tracebacks carry ANSI colour codes; the UI shows plain text, folded and styled by CSS. */
// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\u001b\[[0-9;]*[A-Za-z]/g;
/** An escape sequence cut off at the end of a chunk: its rest arrives with the next one. */
// eslint-disable-next-line no-control-regex
const UNFINISHED_ESCAPE = /\u001b(\[[0-9;]*)?$/;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/**
 * Strips a text that grows by appends (a cell's stream) once: each call strips only what was appended since
 * the last, so a stream of 100,000 lines costs O(new text) per update, not O(all text). A text shorter than
 * what was already taken is a different text and is stripped from its start. An escape sequence still open
 * at the end is held back until the text that closes it arrives.
 */
export class GrowingAnsiStripper {
  private taken = 0;
  private plain = '';

  strip(text: string): string {
    if (text.length < this.taken) {
      this.taken = 0;
      this.plain = '';
    }
    const fresh = text.slice(this.taken);
    const open = UNFINISHED_ESCAPE.exec(fresh);
    const complete = open ? fresh.slice(0, open.index) : fresh;
    this.plain += stripAnsi(complete);
    this.taken += complete.length;
    return this.plain;
  }
}
