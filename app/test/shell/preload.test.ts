import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { IPC, MENU_COMMANDS } from '../../src/preload/api.js';
import { menuTemplate } from '../../src/main/menu-template.js';

// A sandboxed preload can require only 'electron', so preload.cjs is plain JavaScript with its own copy of
// the channel names: these tests hold it to api.ts, by value and by type.
const PRELOAD = fileURLToPath(new URL('../../src/preload/preload.cjs', import.meta.url));
const TSC = createRequire(import.meta.url).resolve('typescript/bin/tsc');

describe('preload script', () => {
  it('uses the channel names and menu commands api.ts defines', async () => {
    const source = await readFile(PRELOAD, 'utf8');
    const channels = /const IPC = (\{[^}]+\});/.exec(source)![1];
    expect(Function(`return (${channels})`)()).toEqual(IPC);
    const commands = /const MENU_COMMANDS = (\[[^\]]+\]);/.exec(source)![1];
    expect(JSON.parse(commands.replace(/'/g, '"'))).toEqual(MENU_COMMANDS);
  });

  it('type-checks against QuireDesktopApi', async () => {
    const args = ['--noEmit', '--allowJs', '--checkJs', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--target', 'es2022', '--types', 'node', '--skipLibCheck', PRELOAD];
    await expect(promisify(execFile)(process.execPath, [TSC, ...args])).resolves.toBeDefined();
  }, 60_000);

  it('exposes exactly the desktop API, through contextBridge only', async () => {
    const source = await readFile(PRELOAD, 'utf8');
    expect(source.match(/exposeInMainWorld\(/g)).toHaveLength(1);
    expect(source).toContain("contextBridge.exposeInMainWorld('quire', api)");
    expect(source).not.toMatch(/ipcRenderer\.(send|sendSync)\(/);
  });
});

describe('menu', () => {
  it('has File with New, Open, Open Recent and Save, and sends UI commands', () => {
    const sent: string[] = [];
    const template = menuTemplate(
      { command: (c) => sent.push(c), openRecent: (n) => sent.push(`recent:${n}`), toggleDevTools: () => sent.push('devtools') },
      ['a.ipynb'],
      'linux',
    );
    const file = template.find((item) => item.label === 'File')!.submenu as Electron.MenuItemConstructorOptions[];
    expect(file.map((item) => item.label ?? item.role ?? item.type)).toEqual(['New Notebook', 'Open…', 'Open Recent', 'separator', 'Save', 'separator', 'quit']);
    const click = (item: Electron.MenuItemConstructorOptions) => (item.click as () => void)();
    click(file[0]);
    click((file[2].submenu as Electron.MenuItemConstructorOptions[])[0]);
    const view = template.find((item) => item.label === 'View')!.submenu as Electron.MenuItemConstructorOptions[];
    click(view.find((item) => item.label === 'Toggle Dark/Light Theme')!);
    click(view.find((item) => item.label === 'Toggle Developer Tools')!);
    expect(sent).toEqual(['new-notebook', 'recent:a.ipynb', 'toggle-theme', 'devtools']);
    expect(template.some((item) => item.role === 'help')).toBe(true);
  });
});
