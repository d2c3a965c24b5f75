/**
 * The Electron main process: starts `quire serve` (Electron's own binary as Node) on a free port with a
 * fresh token, shows its UI in one locked-down window, answers the preload's IPC, and stops the server
 * when the app quits. The decisions (CSP, window options, navigation, IPC checks, menu) are pure modules
 * beside this one; this file only wires them to Electron.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, session, shell } from 'electron';
import { withContentSecurityPolicy } from './csp.js';
import { registerIpcHandlers } from './ipc-handlers.js';
import { menuTemplate } from './menu-template.js';
import { decideNavigation } from './navigation-guard.js';
import { resolveNotebookRoot } from './notebook-root.js';
import { RecentNotebooks } from './recent-notebooks.js';
import { QUIRE_BIN, startServerProcess, type ServerProcess } from './server-process.js';
import { mainWindowOptions } from './window-options.js';
import { IPC, type MenuCommand } from '../preload/api.js';

const PRELOAD = fileURLToPath(new URL('../preload/preload.cjs', import.meta.url));

/** Packaged, the kernel, engine and their node_modules live in resources/quire (electron-builder.yml). */
function quireLayout(): { quireBin: string; staticDir?: string } {
  if (!app.isPackaged) return { quireBin: QUIRE_BIN };
  const base = path.join(process.resourcesPath, 'quire');
  return { quireBin: path.join(base, 'kernel', 'bin', 'quire.mjs'), staticDir: path.join(base, 'app', 'dist') };
}

let server: ServerProcess | undefined;
let mainWindow: BrowserWindow | undefined;

function lockDownContents(serverOrigin: string): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      const decision = decideNavigation(url, serverOrigin);
      if (decision.action === 'open-externally') void shell.openExternal(decision.url);
      else if (decision.action === 'deny') console.warn(`quire: refused to open ${url}: ${decision.reason}`);
      // The UI is one window: a same-origin window.open is not needed, so no new window ever opens.
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      const decision = decideNavigation(url, serverOrigin);
      if (decision.action === 'allow') return;
      event.preventDefault();
      if (decision.action === 'open-externally') void shell.openExternal(decision.url);
      else console.warn(`quire: refused to navigate to ${url}: ${decision.reason}`);
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

async function rebuildMenu(recent: RecentNotebooks): Promise<void> {
  const send = (channel: string, value: string) => mainWindow?.webContents.send(channel, value);
  const template = menuTemplate(
    {
      command: (command: MenuCommand) => send(IPC.menu, command),
      openRecent: (notebook) => send(IPC.openRecent, notebook),
      toggleDevTools: () => mainWindow?.webContents.toggleDevTools(),
    },
    await recent.list(),
    process.platform,
  );
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function start(): Promise<void> {
  const root = await resolveNotebookRoot(undefined);
  const { quireBin, staticDir } = quireLayout();
  server = await startServerProcess({
    root,
    quireBin,
    staticDir,
    execPath: process.execPath,
    // Electron's binary runs as plain Node for the server and every kernel and worker it starts.
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    onOutput: (line) => console.log(`[quire serve] ${line}`),
  });
  const running = server;
  void running.exited.then((code) => {
    if (quitting) return;
    dialog.showErrorBox('Quire', `The notebook server stopped unexpectedly (exit code ${code}). Quire will close.`);
    app.quit();
  });

  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
  // The UI needs no camera, microphone, notifications or other permissions.
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  lockDownContents(running.origin);

  const recent = new RecentNotebooks(path.join(app.getPath('userData'), 'recent-notebooks.json'), root);
  registerIpcHandlers({ root, serverOrigin: running.origin, recent, window: () => mainWindow, onRecentChanged: () => rebuildMenu(recent) });
  await rebuildMenu(recent);

  mainWindow = new BrowserWindow(mainWindowOptions(PRELOAD));
  mainWindow.once('ready-to-show', () => mainWindow?.show());
  mainWindow.on('closed', () => (mainWindow = undefined));
  await mainWindow.loadURL(running.url);
}

let quitting = false;
app.on('before-quit', (event) => {
  if (quitting || !server) return;
  // Hold the quit until the server has stopped its kernels and cluster, then quit for real.
  event.preventDefault();
  quitting = true;
  void server
    .stop()
    .catch((error: Error) => console.error(`quire: could not stop the notebook server: ${error.message}`))
    .finally(() => app.quit());
});
app.on('window-all-closed', () => app.quit());

if (!app.requestSingleInstanceLock()) {
  // Another Quire is running: it gets focus (second-instance below) and this one leaves.
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.focus();
  });
  app.whenReady().then(start).catch((error: unknown) => {
    dialog.showErrorBox('Quire could not start', (error as Error).message);
    quitting = true;
    void (server?.stop() ?? Promise.resolve())
      .catch((stopError: Error) => console.error(`quire: could not stop the notebook server: ${stopError.message}`))
      .finally(() => app.exit(1));
  });
}
