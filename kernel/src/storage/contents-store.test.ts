import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentsStore } from './contents-store.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function storeWith(files: Record<string, string>): ContentsStore {
  const root = mkdtempSync(join(tmpdir(), 'quire-contents-'));
  dirs.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return new ContentsStore(root);
}

describe('renames tell save listeners (backups) about every file under the new name', () => {
  it('a file', async () => {
    const store = storeWith({ 'a.ipynb': 'A' });
    const saved: [string, string][] = [];
    store.onSaved((path, bytes) => saved.push([path, bytes.toString()]));
    await store.rename('a.ipynb', 'b.ipynb');
    expect(saved).toEqual([['b.ipynb', 'A']]);
  });

  it('each file of a folder, nested ones too, but not checkpoints or hidden files', async () => {
    const store = storeWith({
      'team/q1.ipynb': 'Q1', 'team/deep/q2.ipynb': 'Q2', 'team/notes.txt': 'N',
      'team/.ipynb_checkpoints/q1-checkpoint.ipynb': 'old', 'team/.hidden.ipynb': 'H', 'other.ipynb': 'O',
    });
    const saved: [string, string][] = [];
    store.onSaved((path, bytes) => saved.push([path, bytes.toString()]));
    await store.rename('team', 'archive/2026');
    expect(saved.sort()).toEqual([['archive/2026/deep/q2.ipynb', 'Q2'], ['archive/2026/notes.txt', 'N'], ['archive/2026/q1.ipynb', 'Q1']]);
    expect((await store.get('archive/2026/q1.ipynb', { type: 'file', format: 'text' })).content).toBe('Q1');
  });
});
