import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../preload/api.js';

export interface MenuActions {
  /** Sends a command to the UI (the renderer runs it: it owns notebooks and their kernels). */
  command(command: MenuCommand): void;
  openRecent(notebook: string): void;
  toggleDevTools(): void;
}

/**
 * The native menu. Items that act on notebooks are commands the UI carries out; the rest are Electron
 * roles. Pure (a type-only Electron import), so its shape is tested without Electron.
 */
export function menuTemplate(actions: MenuActions, recent: readonly string[], platform: string): MenuItemConstructorOptions[] {
  const command = (label: string, name: MenuCommand, accelerator?: string): MenuItemConstructorOptions => ({
    label,
    accelerator,
    click: () => actions.command(name),
  });
  const recentItems: MenuItemConstructorOptions[] = recent.length
    ? recent.map((notebook) => ({ label: notebook, click: () => actions.openRecent(notebook) }))
    : [{ label: 'No recent notebooks', enabled: false }];
  const appMenu: MenuItemConstructorOptions[] = platform === 'darwin' ? [{ role: 'appMenu' }] : [];
  return [
    ...appMenu,
    {
      label: 'File',
      submenu: [
        command('New Notebook', 'new-notebook', 'CmdOrCtrl+N'),
        command('Open…', 'open-notebook', 'CmdOrCtrl+O'),
        { label: 'Open Recent', submenu: recentItems },
        { type: 'separator' },
        command('Save', 'save', 'CmdOrCtrl+S'),
        { type: 'separator' },
        platform === 'darwin' ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'Kernel',
      submenu: [
        command('Run All Cells', 'run-all', 'CmdOrCtrl+Shift+Enter'),
        command('Interrupt', 'interrupt', 'CmdOrCtrl+I'),
        command('Restart', 'restart'),
      ],
    },
    {
      label: 'View',
      submenu: [
        command('Toggle Dark/Light Theme', 'toggle-theme', 'CmdOrCtrl+Shift+T'),
        command('Cluster Panel', 'toggle-cluster', 'CmdOrCtrl+Shift+C'),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
        { label: 'Toggle Developer Tools', accelerator: platform === 'darwin' ? 'Alt+Cmd+I' : 'Ctrl+Shift+I', click: () => actions.toggleDevTools() },
      ],
    },
    { role: 'windowMenu' },
    {
      role: 'help',
      submenu: [{ role: 'about', label: 'About Quire' }],
    },
  ];
}
