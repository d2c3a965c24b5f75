/**
 * What the Electron preload script exposes to the UI as `window.quire` (absent in browser mode).
 * Paths are relative to the notebook server's root, as the contents API names them.
 */
export type MenuCommand =
  | 'new-notebook'
  | 'open-notebook'
  | 'save'
  | 'run-all'
  | 'interrupt'
  | 'restart'
  | 'toggle-theme'
  | 'toggle-cluster';

export interface QuireDesktopApi {
  readonly platform: string;
  /** Native open dialog limited to the server root; resolves to the chosen notebook, or null. */
  openNotebookDialog(): Promise<string | null>;
  /** Native save dialog; resolves to the chosen path under the server root, or null. */
  saveNotebookDialog(suggestedName: string): Promise<string | null>;
  recentNotebooks(): Promise<string[]>;
  addRecentNotebook(path: string): Promise<void>;
  /** Native menu items call back here; returns the function that stops listening. */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

/** IPC channel names shared by the main process and the preload script. */
export const IPC = {
  openDialog: 'quire:open-dialog',
  saveDialog: 'quire:save-dialog',
  recent: 'quire:recent',
  addRecent: 'quire:add-recent',
  menu: 'quire:menu',
} as const;

declare global {
  interface Window {
    quire?: QuireDesktopApi;
  }
}
