import { access, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// electron-builder cannot run here (it downloads Electron), so these check what can go stale in its
// config: versions, and the paths it copies, against the repository as it is.
const require = createRequire(import.meta.url);
const yaml = require('js-yaml') as { load(text: string): unknown };
const APP = path.resolve(import.meta.dirname, '../..');

interface FileSet { from: string; to: string }
interface BuilderConfig {
  appId: string; productName: string; electronVersion: string; files: string[]; extraResources: FileSet[];
  electronFuses: { runAsNode: boolean };
  linux: { target: string[] }; mac: { target: string[] }; win: { target: string[] };
}

async function config(): Promise<BuilderConfig> {
  return yaml.load(await readFile(path.join(APP, '..', 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

describe('electron-builder.yml', () => {
  it('is the config app/package.json dist script names, for the installed Electron', async () => {
    const app = JSON.parse(await readFile(path.join(APP, 'package.json'), 'utf8')) as { main: string; scripts: { dist: string } };
    expect(app.scripts.dist).toContain('--config ../electron-builder.yml --projectDir .');
    const electron = JSON.parse(await readFile(require.resolve('electron/package.json'), 'utf8')) as { version: string };
    const built = await config();
    expect(built.electronVersion).toBe(electron.version);
    expect(built.productName).toBe('Quire');
    expect(built.files).toContain('src/main/**/*');
    expect(app.main.startsWith('src/main/')).toBe(true);
    await access(path.join(APP, app.main));
  });

  it('copies the server beside the app where the main process looks for it', async () => {
    const built = await config();
    for (const set of built.extraResources) {
      if (set.from !== 'dist') await access(path.join(APP, set.from));
    }
    const targets = built.extraResources.map((set) => set.to);
    expect(targets).toEqual(expect.arrayContaining(['quire/kernel', 'quire/engine', 'quire/node_modules', 'quire/app/dist']));
    const main = await readFile(path.join(APP, 'src/main/main-process.ts'), 'utf8');
    expect(main).toContain("path.join(process.resourcesPath, 'quire')");
    expect(built.electronFuses.runAsNode).toBe(true);
  });

  it('targets AppImage and deb, dmg, and nsis', async () => {
    const built = await config();
    expect(built.linux.target).toEqual(['AppImage', 'deb']);
    expect(built.mac.target).toEqual(['dmg']);
    expect(built.win.target).toEqual(['nsis']);
  });
});
