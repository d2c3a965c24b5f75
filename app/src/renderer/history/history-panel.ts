import { clear, formatBytes, h } from '../dom.js';
import type { NotebookJson } from '../model/ipynb.js';
import type { NotebookPanel } from '../notebook/notebook-panel.js';
import { type NotebookVersion, getVersion, listVersions, restoreVersion } from '../server/quire-api.js';
import { diffLines, notebookLines } from './line-diff.js';

/** The notebook as it is in the editor now, as a choice to compare a version with. */
const EDITOR = 'editor';

/**
 * The version history of the open notebook (kept by the server's backups), newest first. Picking a
 * version shows what it changed against the version before it (or against any other version, or the
 * notebook in the editor now), line by line, and offers to restore it.
 */
export class HistoryPanel {
  readonly element: HTMLElement;
  private list: HTMLElement;
  private diff: HTMLElement;
  private versions: NotebookVersion[] = [];
  private readonly cache = new Map<string, Promise<NotebookJson>>();

  constructor(private readonly notebook: NotebookPanel, private readonly reopen: () => Promise<void>) {
    this.list = h('ol', { class: 'history-list' });
    this.diff = h('div', { class: 'history-diff' });
    this.element = h('aside', { class: 'side-panel history-panel', 'aria-label': 'Version history' },
      h('header', {}, h('h2', {}, 'Version history'), h('button', { class: 'ghost', 'data-action': 'refresh-history', onclick: () => void this.load() }, 'Refresh')),
      this.list, this.diff);
  }

  async load(): Promise<void> {
    clear(this.list);
    clear(this.diff);
    try {
      this.versions = await listVersions(this.notebook.settings, this.notebook.path);
    } catch (error) {
      this.list.append(h('li', { class: 'output-error' }, `History unavailable: ${(error as Error).message}`));
      return;
    }
    if (this.versions.length === 0) this.list.append(h('li', { class: 'empty' }, 'No saved versions yet: versions are kept as saves reach the backup.'));
    for (const version of [...this.versions].reverse()) {
      this.list.append(h('li', {}, h('button', {
        class: 'history-item',
        'data-version': version.id,
        'aria-selected': 'false',
        onclick: () => void this.select(version),
      }, this.time(version), h('span', { class: 'muted' }, ` · ${version.hash.slice(0, 7)} · ${formatBytes(version.size)}`))));
    }
  }

  private time(version: NotebookVersion): string {
    return new Date(version.savedAt).toLocaleString();
  }

  /** Saves within one second read the same by time: the hash tells them apart. */
  private label(version: NotebookVersion): string {
    return `${this.time(version)} · ${version.hash.slice(0, 7)}`;
  }

  private async select(version: NotebookVersion): Promise<void> {
    for (const item of this.list.querySelectorAll<HTMLElement>('.history-item')) item.setAttribute('aria-selected', String(item.dataset.version === version.id));
    clear(this.diff);
    const index = this.versions.findIndex((v) => v.id === version.id);
    const compare = h('select', { class: 'history-compare', 'aria-label': 'compare with', onchange: () => void this.showDiff(version, compare.value) },
      ...this.versions.filter((v) => v.id !== version.id).reverse().map((v) => h('option', { value: v.id }, this.label(v))),
      h('option', { value: EDITOR }, 'the notebook in the editor now'));
    compare.value = index > 0 ? this.versions[index - 1]!.id : EDITOR;
    const restore = h('button', { class: 'primary', 'data-action': 'restore-version', onclick: () => void this.restore(version, restore) }, 'Restore this version');
    this.diff.append(h('div', { class: 'diff-head' }, h('label', {}, 'Compared with ', compare), restore), h('pre', { class: 'diff' }));
    await this.showDiff(version, compare.value);
  }

  private async showDiff(version: NotebookVersion, against: string): Promise<void> {
    const pre = this.diff.querySelector('pre.diff')!;
    clear(pre);
    let before: NotebookJson;
    let after: NotebookJson;
    try {
      [before, after] = await Promise.all([against === EDITOR ? this.notebook.model.toJson() : this.content(against), this.content(version.id)]);
    } catch (error) {
      pre.append(h('div', { class: 'output-error' }, `Could not load the versions to compare: ${(error as Error).message}`));
      return;
    }
    const lines = diffLines(notebookLines(before.cells ?? []), notebookLines(after.cells ?? []));
    pre.append(h('div', { class: 'diff-legend muted' }, `− ${against === EDITOR ? 'the editor now' : this.label(this.versions.find((v) => v.id === against)!)}   + ${this.label(version)}`));
    if (!lines.some((line) => line.kind !== 'same')) pre.append(h('div', { class: 'diff-same muted' }, '  (no differences in the cells)'));
    for (const line of lines) {
      pre.append(h('div', { class: `diff-${line.kind}` }, `${line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' '} ${line.text}`));
    }
  }

  private content(id: string): Promise<NotebookJson> {
    let cached = this.cache.get(id);
    if (!cached) {
      cached = getVersion(this.notebook.settings, this.notebook.path, id) as Promise<NotebookJson>;
      // A failed read is not remembered: the next try asks the server again.
      cached.catch(() => this.cache.delete(id));
      this.cache.set(id, cached);
    }
    return cached;
  }

  private async restore(version: NotebookVersion, button: HTMLButtonElement): Promise<void> {
    if (this.notebook.model.dirty && !confirm(`${this.notebook.path} has unsaved changes, which restoring ${this.label(version)} discards. Restore anyway?`)) return;
    button.disabled = true;
    try {
      await restoreVersion(this.notebook.settings, this.notebook.path, version.id);
    } catch (error) {
      button.disabled = false;
      this.diff.prepend(h('div', { class: 'output-error', role: 'alert' }, `Could not restore: ${(error as Error).message}`));
      return;
    }
    await this.reopen();
  }
}
