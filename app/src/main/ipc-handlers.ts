import path from 'node:path';
import { dialog, ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { IPC } from '../preload/api.js';
import { expectArgumentCount, validateNotebookPath, validateSenderOrigin, validateSuggestedName } from './ipc-validation.js';
import type { RecentNotebooks } from './recent-notebooks.js';
import { toRootRelative, withNotebookExtension } from './root-paths.js';

export interface IpcContext {
  root: string;
  serverOrigin: string;
  recent: RecentNotebooks;
  window(): BrowserWindow | undefined;
  onRecentChanged(): Promise<void>;
}

/**
 * The main-process side of window.quire (app/src/preload/api.ts). Each handler checks who is calling and
 * what it sent (ipc-validation.ts) before acting; a refused call rejects the renderer's promise with the reason.
 */
export function registerIpcHandlers(context: IpcContext): void {
  const handle = (channel: string, count: number, handler: (args: unknown[]) => Promise<unknown>) => {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      validateSenderOrigin(channel, event.senderFrame?.url, context.serverOrigin);
      expectArgumentCount(channel, args, count);
      return handler(args);
    });
  };

  handle(IPC.openDialog, 0, async () => {
    const options = {
      title: 'Open Notebook',
      defaultPath: context.root,
      properties: ['openFile' as const],
      filters: [{ name: 'Notebooks', extensions: ['ipynb'] }],
    };
    const owner = context.window();
    const answer = owner ? await dialog.showOpenDialog(owner, options) : await dialog.showOpenDialog(options);
    if (answer.canceled || answer.filePaths.length === 0) return null;
    return toRootRelative(context.root, answer.filePaths[0]);
  });

  handle(IPC.saveDialog, 1, async ([suggested]) => {
    const name = validateSuggestedName(IPC.saveDialog, suggested);
    const options = {
      title: 'Save Notebook As',
      defaultPath: path.join(context.root, name),
      filters: [{ name: 'Notebooks', extensions: ['ipynb'] }],
    };
    const owner = context.window();
    const answer = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
    if (answer.canceled || !answer.filePath) return null;
    return toRootRelative(context.root, withNotebookExtension(answer.filePath));
  });

  handle(IPC.recent, 0, () => context.recent.list());

  handle(IPC.addRecent, 1, async ([notebook]) => {
    await context.recent.add(validateNotebookPath(IPC.addRecent, notebook));
    await context.onRecentChanged();
  });
}
