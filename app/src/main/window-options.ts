import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The main window: the renderer gets no Node, runs sandboxed in an isolated world, and sees only what the
 * preload script exposes. Pure (a type-only Electron import), so the security settings are unit-tested.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 720,
    minHeight: 480,
    title: 'Quire',
    // Shown once the first page has painted, so the user never sees an empty white frame.
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}
