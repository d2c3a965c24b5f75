/**
 * Checks of what the renderer sends over IPC. The renderer is treated as untrusted (it renders notebook
 * outputs): every argument is checked here before the main process acts on it, and a bad one is an error
 * naming what was wrong. Pure, so it is tested without Electron.
 */
const MAX_NAME_LENGTH = 255;
const MAX_PATH_LENGTH = 4096;

export class IpcArgumentError extends Error {
  constructor(channel: string, message: string) {
    super(`${channel}: ${message}`);
    this.name = 'IpcArgumentError';
  }
}

/** The arguments a handler was called with, checked to be exactly `count` long. */
export function expectArgumentCount(channel: string, args: readonly unknown[], count: number): void {
  if (args.length !== count) throw new IpcArgumentError(channel, `expected ${count} argument(s), got ${args.length}`);
}

/** A file name suggested for the save dialog: a plain name, no directories. */
export function validateSuggestedName(channel: string, value: unknown): string {
  if (typeof value !== 'string') throw new IpcArgumentError(channel, `the suggested name must be a string, not ${typeof value}`);
  if (value.length === 0 || value.length > MAX_NAME_LENGTH) {
    throw new IpcArgumentError(channel, `the suggested name must be 1 to ${MAX_NAME_LENGTH} characters long`);
  }
  if (/[/\\\0]/.test(value) || value === '.' || value === '..') {
    throw new IpcArgumentError(channel, `the suggested name must be a file name without directories: ${JSON.stringify(value)}`);
  }
  return value;
}

/**
 * A notebook path relative to the server root, as the contents API names it (`/`-separated, no `..`,
 * no leading `/`), ending in .ipynb.
 */
export function validateNotebookPath(channel: string, value: unknown): string {
  if (typeof value !== 'string') throw new IpcArgumentError(channel, `the notebook path must be a string, not ${typeof value}`);
  if (value.length === 0 || value.length > MAX_PATH_LENGTH) {
    throw new IpcArgumentError(channel, `the notebook path must be 1 to ${MAX_PATH_LENGTH} characters long`);
  }
  if (value.includes('\0') || value.includes('\\')) throw new IpcArgumentError(channel, `the notebook path has a NUL or backslash: ${JSON.stringify(value)}`);
  if (value.startsWith('/')) throw new IpcArgumentError(channel, `the notebook path must be relative to the notebook root: ${value}`);
  if (value.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw new IpcArgumentError(channel, `the notebook path has an empty, '.' or '..' part: ${value}`);
  }
  if (!value.endsWith('.ipynb')) throw new IpcArgumentError(channel, `not a notebook (.ipynb): ${value}`);
  return value;
}

/** IPC is answered only for the server's own pages, never for a frame that navigated elsewhere. */
export function validateSenderOrigin(channel: string, senderUrl: string | undefined, serverOrigin: string): void {
  let origin: string | undefined;
  try {
    origin = senderUrl ? new URL(senderUrl).origin : undefined;
  } catch {
    origin = undefined;
  }
  if (origin !== serverOrigin) throw new IpcArgumentError(channel, `refused a call from ${senderUrl ?? 'an unknown frame'}`);
}
