import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findElectron } from '../../src/main/electron-binary.js';
import { RecentNotebooks } from '../../src/main/recent-notebooks.js';
import { uiBuildReason } from '../../src/main/ui-build.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quire-shell-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function touch(file: string, secondsAgo: number) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '');
  const at = new Date(Date.now() - secondsAgo * 1000);
  await utimes(file, at, at);
}

describe('UI build check', () => {
  it('builds when dist is missing, or older than a renderer source or the Vite config', async () => {
    await touch(path.join(dir, 'src/renderer/shell/app-shell.ts'), 100);
    await touch(path.join(dir, 'vite.config.ts'), 100);
    expect(await uiBuildReason(dir)).toMatch(/not built yet/);
    await touch(path.join(dir, 'dist/index.html'), 50);
    expect(await uiBuildReason(dir)).toBeUndefined();
    await touch(path.join(dir, 'src/renderer/shell/app-shell.ts'), 10);
    expect(await uiBuildReason(dir)).toBe(`the UI build is older than ${path.join('src', 'renderer', 'shell', 'app-shell.ts')}`);
    await touch(path.join(dir, 'dist/index.html'), 5);
    await touch(path.join(dir, 'vite.config.ts'), 1);
    expect(await uiBuildReason(dir)).toBe('the UI build is older than vite.config.ts');
  });
});

describe('Electron detection', () => {
  it('says why Electron cannot run: no installed binary here, or no display', () => {
    const appDir = path.resolve(import.meta.dirname, '../..');
    const found = findElectron(appDir, { PATH: process.env.PATH }, 'linux');
    // This machine cannot download Electron's binary; where it can, the missing display is the reason.
    expect(found.available).toBe(false);
    if (!found.available) expect(found.reason).toMatch(/Electron failed to install correctly|neither DISPLAY nor WAYLAND_DISPLAY/);
  });
});

describe('recent notebooks', () => {
  it('keeps the latest ten per root, most recent first, and rejects a corrupt file', async () => {
    const file = path.join(dir, 'user', 'recent.json');
    const recent = new RecentNotebooks(file, '/notebooks');
    expect(await recent.list()).toEqual([]);
    for (let i = 0; i < 12; i++) await recent.add(`n${i}.ipynb`);
    await recent.add('n5.ipynb');
    const list = await recent.list();
    expect(list[0]).toBe('n5.ipynb');
    expect(list).toHaveLength(10);
    expect(new Set(list).size).toBe(10);
    expect(await new RecentNotebooks(file, '/other').list()).toEqual([]);
    await writeFile(file, '{"roots": {"/notebooks": [1]}}');
    await expect(recent.list()).rejects.toThrow(/is not a recent-notebooks list/);
    expect(JSON.parse(await readFile(file, 'utf8'))).toBeTruthy();
  });
});
