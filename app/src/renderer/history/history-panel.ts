import { clear, h } from '../dom.js';
import type { NotebookJson } from '../model/ipynb.js';
import type { NotebookPanel } from '../notebook/notebook-panel.js';
import { getVersion, listVersions, restoreVersion } from '../server/quire-api.js';
import { diffLines, notebookLines } from './line-diff.js';

/**
 * The version history of the open notebook (kept by the server's backups): pick a version to see
 * its diff against the notebook as it is now, and restore it.
 */
export class HistoryPanel {
  readonly element: HTMLElement;
  private list: HTMLElement;
  private diff: HTMLElement;

  constructor(private readonly notebook: NotebookPanel, private readonly reopen: () => Promise<void>) {
    this.list = h('ol', { class: 'history-list' });
    this.diff = h('div', { class: 'history-diff' });
    this.element = h('aside', { class: 'side-panel history-panel', 'aria-label': 'Version history' },
      h('header', {}, h('h2', {}, 'Version history'), h('button', { class: 'ghost', onclick: () => void this.load() }, 'Refresh')),
      this.list, this.diff);
  }

  async load(): Promise<void> {
    clear(this.list);
    clear(this.diff);
    try {
      const versions = await listVersions(this.notebook.settings, this.notebook.path);
      if (versions.length === 0) this.list.append(h('li', { class: 'empty' }, 'No saved versions yet.'));
      for (const version of versions) {
        this.list.append(h('li', {}, h('button', { class: 'history-item', onclick: () => void this.show(version.id) },
          new Date(version.savedAt).toLocaleString(), version.size ? h('span', { class: 'muted' }, ` · ${version.size} B`) : null)));
      }
    } catch (error) {
      this.list.append(h('li', { class: 'output-error' }, `History unavailable: ${(error as Error).message}`));
    }
  }

  private async show(id: string): Promise<void> {
    clear(this.diff);
    const version = (await getVersion(this.notebook.settings, this.notebook.path, id)) as NotebookJson;
    const lines = diffLines(notebookLines(version.cells ?? []), notebookLines(this.notebook.model.toJson().cells));
    const pre = h('pre', { class: 'diff' });
    for (const line of lines) {
      pre.append(h('div', { class: `diff-${line.kind}` }, `${line.kind === 'added' ? '+' : line.kind === 'removed' ? '−' : ' '} ${line.text}`));
    }
    const restore = h('button', { class: 'primary', onclick: async () => {
      restore.disabled = true;
      await restoreVersion(this.notebook.settings, this.notebook.path, id);
      await this.reopen();
    } }, 'Restore this version');
    this.diff.append(h('div', { class: 'diff-head' }, h('span', {}, '− that version   + now'), restore), pre);
  }
}
