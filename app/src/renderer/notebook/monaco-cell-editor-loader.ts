/**
 * Monaco, loaded as a chunk of its own. The app asks for it at boot, so it downloads and parses while the
 * server answers the listing and the notebook, but paints the shell and every cell without waiting for it:
 * cells show their source as text, and a cell edited before Monaco is there gets a plain editor that hands
 * its text and caret over when it arrives.
 */
export type MonacoCellEditorModule = typeof import('./monaco-cell-editor.js');

let loaded: MonacoCellEditorModule | null = null;
let loading: Promise<MonacoCellEditorModule> | null = null;
const waiting = new Set<(module: MonacoCellEditorModule) => void>();

/**
 * Starts loading Monaco (once) and resolves with the editor module. The caller handles a failure: the
 * boot shows it, and cells then keep their plain editors.
 */
export function loadMonacoCellEditor(): Promise<MonacoCellEditorModule> {
  loading ??= import('./monaco-cell-editor.js').then((module) => {
    loaded = module;
    for (const callback of [...waiting]) callback(module);
    waiting.clear();
    return module;
  });
  return loading;
}

/** The editor module if it has loaded, else null. */
export function loadedMonacoCellEditor(): MonacoCellEditorModule | null {
  return loaded;
}

/**
 * Calls `callback` once Monaco has loaded (at once if it has). It does not start the load. Returns the
 * function that cancels the call.
 */
export function whenMonacoCellEditorLoaded(callback: (module: MonacoCellEditorModule) => void): () => void {
  if (loaded) {
    callback(loaded);
    return () => {};
  }
  waiting.add(callback);
  return () => waiting.delete(callback);
}
