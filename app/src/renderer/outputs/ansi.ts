/** Kernel tracebacks carry ANSI colour codes; the UI shows plain text, folded and styled by CSS. */
// eslint-disable-next-line no-control-regex
const ANSI_PATTERN = /\u001b\[[0-9;]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}
