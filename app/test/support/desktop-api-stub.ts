import type { Page } from 'playwright-core';
import type { MenuCommand, QuireDesktopApi } from '../../src/preload/api.js';

/**
 * Stands in for Electron's preload script (which cannot run in a plain browser): defines `window.quire`
 * with the shape of QuireDesktopApi before the page's scripts run, and lets the test play the main
 * process: fire menu commands and File › Open Recent, answer the open dialog, read what the UI reported.
 */
interface DesktopApiProbe {
  menuListeners: Array<(command: MenuCommand) => void>;
  recentListeners: Array<(path: string) => void>;
  addedRecent: string[];
  nextOpenDialogAnswer: string | null;
}

declare global {
  interface Window {
    __quireDesktopProbe?: DesktopApiProbe;
  }
}

export async function installDesktopApiStub(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const probe: DesktopApiProbe = { menuListeners: [], recentListeners: [], addedRecent: [], nextOpenDialogAnswer: null };
    const listen = <T>(listeners: Array<(value: T) => void>, listener: (value: T) => void) => {
      listeners.push(listener);
      return () => void listeners.splice(listeners.indexOf(listener) >>> 0, 1);
    };
    const api: QuireDesktopApi = {
      platform: 'linux',
      openNotebookDialog: async () => probe.nextOpenDialogAnswer,
      saveNotebookDialog: async () => null,
      recentNotebooks: async () => [...probe.addedRecent].reverse(),
      addRecentNotebook: async (path) => void probe.addedRecent.push(path),
      onMenuCommand: (listener) => listen(probe.menuListeners, listener),
      onOpenRecent: (listener) => listen(probe.recentListeners, listener),
    };
    window.__quireDesktopProbe = probe;
    Object.defineProperty(window, 'quire', { value: Object.freeze(api), configurable: false, writable: false });
  });
}

/** Plays the main process sending File › Open Recent › `path`; returns how many listeners received it. */
export function fireOpenRecent(page: Page, path: string): Promise<number> {
  return notifyListeners(page, 'recentListeners', path);
}

/** Plays the main process sending a native menu command; returns how many listeners received it. */
export function fireMenuCommand(page: Page, command: MenuCommand): Promise<number> {
  return notifyListeners(page, 'menuListeners', command);
}

type ListenerList = 'menuListeners' | 'recentListeners';

/** Calls every listener the UI registered on one of the probe's lists with `value`; returns how many there were. */
function notifyListeners(page: Page, list: ListenerList, value: string): Promise<number> {
  return page.evaluate(([list, value]) => {
    const listeners = window.__quireDesktopProbe![list] as Array<(value: string) => void>;
    for (const listener of listeners) listener(value);
    return listeners.length;
  }, [list, value] as const);
}

/** The answer the next native open dialog gives (a path under the server root, or null for cancel). */
export function answerOpenDialog(page: Page, path: string | null): Promise<void> {
  return page.evaluate((answer) => void (window.__quireDesktopProbe!.nextOpenDialogAnswer = answer), path);
}

/** The notebooks the UI reported as opened (addRecentNotebook), oldest first. */
export function reportedRecent(page: Page): Promise<string[]> {
  return page.evaluate(() => [...window.__quireDesktopProbe!.addedRecent]);
}
