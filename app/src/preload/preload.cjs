// @ts-check
// The preload script: the only bridge between the sandboxed UI and the main process. A sandboxed preload
// can require nothing but 'electron', so this is one plain CommonJS file; its channel names and commands
// must equal IPC and MENU_COMMANDS in api.ts (app/test/shell/preload.test.ts checks both, and type-checks
// this file against QuireDesktopApi).
const { contextBridge, ipcRenderer } = require('electron');

const IPC = {
  openDialog: 'quire:open-dialog',
  saveDialog: 'quire:save-dialog',
  recent: 'quire:recent',
  addRecent: 'quire:add-recent',
  menu: 'quire:menu',
  openRecent: 'quire:open-recent',
};
const MENU_COMMANDS = ['new-notebook', 'open-notebook', 'save', 'run-all', 'interrupt', 'restart', 'toggle-theme', 'toggle-cluster'];

/**
 * Subscribes `listener` to `channel`, passing on only values `accept` admits; never hands the page the
 * IPC event (it carries the sender object).
 * @template T
 * @param {string} channel
 * @param {(value: unknown) => value is T} accept
 * @param {(value: T) => void} listener
 * @returns {() => void}
 */
function subscribe(channel, accept, listener) {
  if (typeof listener !== 'function') throw new TypeError(`${channel}: the listener must be a function`);
  /** @param {unknown} _event @param {unknown} value */
  const wrapped = (_event, value) => {
    if (accept(value)) listener(value);
  };
  ipcRenderer.on(channel, wrapped);
  return () => void ipcRenderer.removeListener(channel, wrapped);
}

/** @type {import('./api.js').QuireDesktopApi} */
const api = {
  platform: process.platform,
  openNotebookDialog: () => ipcRenderer.invoke(IPC.openDialog),
  saveNotebookDialog: (suggestedName) => ipcRenderer.invoke(IPC.saveDialog, suggestedName),
  recentNotebooks: () => ipcRenderer.invoke(IPC.recent),
  addRecentNotebook: (path) => ipcRenderer.invoke(IPC.addRecent, path),
  onMenuCommand: (listener) =>
    subscribe(IPC.menu, /** @returns {value is import('./api.js').MenuCommand} */ (value) => typeof value === 'string' && MENU_COMMANDS.includes(value), listener),
  onOpenRecent: (listener) => subscribe(IPC.openRecent, /** @returns {value is string} */ (value) => typeof value === 'string', listener),
};

contextBridge.exposeInMainWorld('quire', api);
