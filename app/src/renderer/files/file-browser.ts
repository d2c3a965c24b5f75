import type { Contents } from '@jupyterlab/services';
import { clear, h } from '../dom.js';
import { forkNotebook, publishNotebook } from '../server/quire-api.js';
import type { Services } from '../server/services.js';
import { emptyNotebook } from '../model/ipynb.js';

/** The folder the server maps to the shared S3 space (published notebooks everyone can fork). */
export const SHARED_ROOT = 'shared';

export interface FileBrowserHost {
  open(path: string): void;
  renamed(from: string, to: string): void;
  deleted(path: string): void;
}

/**
 * Local notebooks and the shared space, listed through the contents API: create, open, rename,
 * delete, publish (local → shared) and fork (shared → local).
 */
export class FileBrowser {
  readonly element: HTMLElement;
  private list: HTMLElement;
  private pathLabel: HTMLElement;
  private error: HTMLElement;
  private cwd = '';

  constructor(private readonly services: Services, private readonly host: FileBrowserHost) {
    this.list = h('ul', { class: 'file-list', role: 'list' });
    this.pathLabel = h('div', { class: 'file-path' });
    this.error = h('div', { class: 'file-error', role: 'alert', hidden: true });
    this.element = h('nav', { class: 'file-browser', 'aria-label': 'Notebooks' },
      h('header', {},
        h('div', { class: 'file-roots segmented' },
          h('button', { 'data-root': 'local', onclick: () => void this.show('') }, 'Local'),
          h('button', { 'data-root': 'shared', onclick: () => void this.show(SHARED_ROOT) }, 'Shared')),
        h('div', { class: 'file-actions' },
          h('button', { class: 'ghost', title: 'New notebook', 'data-action': 'new-notebook', onclick: () => void this.newNotebook() }, '+ Notebook'),
          h('button', { class: 'ghost', title: 'New folder', onclick: () => void this.newFolder() }, '+ Folder'),
          h('button', { class: 'ghost', title: 'Refresh', onclick: () => void this.refresh() }, '↻'))),
      this.pathLabel, this.error, this.list);
  }

  async show(path: string): Promise<void> {
    this.cwd = path;
    for (const button of this.element.querySelectorAll<HTMLElement>('[data-root]')) {
      button.setAttribute('aria-selected', String((button.dataset.root === 'shared') === this.inShared()));
    }
    await this.refresh();
  }

  async refresh(): Promise<void> {
    this.error.hidden = true;
    let listing: Contents.IModel;
    try {
      listing = await this.services.contents.get(this.cwd, { content: true });
    } catch (error) {
      clear(this.list);
      this.showError(this.inShared() && this.cwd === SHARED_ROOT ? `The shared space is not available: ${(error as Error).message}` : (error as Error).message);
      return;
    }
    clear(this.list);
    this.pathLabel.textContent = '/' + this.cwd;
    if (this.cwd && this.cwd !== SHARED_ROOT) {
      const parent = this.cwd.split('/').slice(0, -1).join('/');
      this.list.append(h('li', { class: 'file-item dir' }, h('button', { class: 'file-name', onclick: () => void this.show(parent) }, '..')));
    }
    const entries = (listing.content as Contents.IModel[])
      .filter((item) => item.type === 'directory' || item.type === 'notebook')
      .filter((item) => !(this.cwd === '' && item.name === SHARED_ROOT))
      .sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'directory' ? -1 : 1));
    if (entries.length === 0) this.list.append(h('li', { class: 'empty' }, 'No notebooks here yet.'));
    for (const item of entries) this.list.append(this.row(item));
  }

  private row(item: Contents.IModel): HTMLElement {
    const isDir = item.type === 'directory';
    const name = h('button', {
      class: 'file-name',
      title: item.path,
      onclick: () => (isDir ? void this.show(item.path) : this.host.open(item.path)),
    }, h('span', { class: 'file-icon' }, isDir ? '▸' : '◆'), item.name);
    const actions = h('span', { class: 'row-actions' });
    const li = h('li', { class: `file-item ${isDir ? 'dir' : 'notebook'}`, 'data-path': item.path }, name, actions);
    actions.append(h('button', { class: 'ghost icon', title: 'Rename', onclick: () => this.startRename(li, item) }, '✎'));
    if (!isDir && this.inShared()) {
      actions.append(h('button', { class: 'ghost icon', title: 'Fork into my notebooks', onclick: () => void this.act(async () => {
        const forked = await forkNotebook(this.services.settings, item.path);
        this.host.open(forked.path);
      }) }, '⑂'));
    } else if (!isDir) {
      actions.append(h('button', { class: 'ghost icon', title: 'Publish to the shared space', onclick: () => void this.act(() => publishNotebook(this.services.settings, item.path)) }, '⇪'));
    }
    actions.append(h('button', { class: 'ghost icon danger', title: 'Delete', onclick: () => {
      if (!confirm(`Delete ${item.path}? This cannot be undone.`)) return;
      void this.act(async () => {
        await this.services.contents.delete(item.path);
        this.host.deleted(item.path);
      });
    } }, '🗑'));
    return li;
  }

  private startRename(li: HTMLElement, item: Contents.IModel): void {
    const input = h('input', { class: 'rename-input', value: item.name, 'aria-label': 'new name' });
    const finish = (commit: boolean) => {
      const name = input.value.trim();
      if (!commit || !name || name === item.name) return void this.refresh();
      if (name.includes('/')) return this.showError(`A name cannot contain '/': ${name}`);
      const to = [...item.path.split('/').slice(0, -1), name].join('/');
      void this.act(async () => {
        await this.services.contents.rename(item.path, to);
        this.host.renamed(item.path, to);
      });
    };
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') finish(true);
      if (event.key === 'Escape') finish(false);
    });
    input.addEventListener('blur', () => finish(true));
    li.replaceChildren(input);
    input.focus();
    input.setSelectionRange(0, item.name.replace(/\.ipynb$/, '').length);
  }

  private async newNotebook(): Promise<void> {
    await this.act(async () => {
      const created = await this.services.contents.newUntitled({ path: this.cwd, type: 'notebook' });
      await this.services.contents.save(created.path, { type: 'notebook', format: 'json', content: emptyNotebook(this.services.defaultKernel) });
      this.host.open(created.path);
    });
  }

  private async newFolder(): Promise<void> {
    await this.act(() => this.services.contents.newUntitled({ path: this.cwd, type: 'directory' }));
  }

  /** Runs a file operation, refreshes the listing, and shows any failure in the panel. */
  private async act(operation: () => Promise<unknown>): Promise<void> {
    try {
      await operation();
    } catch (error) {
      this.showError((error as Error).message);
      return;
    }
    await this.refresh();
  }

  private showError(message: string): void {
    this.error.hidden = false;
    this.error.textContent = message;
  }

  private inShared(): boolean {
    return this.cwd === SHARED_ROOT || this.cwd.startsWith(SHARED_ROOT + '/');
  }
}
