import path from 'node:path';

/**
 * Native dialogs answer with absolute paths; the UI names notebooks relative to the server root (the
 * contents API's paths). A file chosen outside the root cannot be served, so it is an error that says so.
 */
export function toRootRelative(root: string, chosen: string): string {
  const relative = path.relative(path.resolve(root), path.resolve(chosen));
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new Error(`${chosen} is outside the notebook folder ${root}; choose a notebook inside it`);
  }
  return relative.split(path.sep).join('/');
}

/** A save dialog's answer with the .ipynb extension added when the user left it off. */
export function withNotebookExtension(file: string): string {
  return file.toLowerCase().endsWith('.ipynb') ? file : `${file}.ipynb`;
}
