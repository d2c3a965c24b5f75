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
  /** File > Open Recent calls back here with the notebook's path; returns the function that stops listening. */
  onOpenRecent(listener: (path: string) => void): () => void;
}

/** IPC channel names shared by the main process and the preload script. */
export const IPC = {
  openDialog: 'quire:open-dialog',
  saveDialog: 'quire:save-dialog',
  recent: 'quire:recent',
  addRecent: 'quire:add-recent',
  menu: 'quire:menu',
  openRecent: 'quire:open-recent',
} as const;

/** Every command a menu may send, for checks on both sides of the IPC boundary. */
export const MENU_COMMANDS: readonly MenuCommand[] = [
  'new-notebook', 'open-notebook', 'save', 'run-all', 'interrupt', 'restart', 'toggle-theme', 'toggle-cluster',
];

declare global {
  interface Window {
    quire?: QuireDesktopApi;
  }
}
