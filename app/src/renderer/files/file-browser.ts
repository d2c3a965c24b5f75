import type { Contents } from '@jupyterlab/services';
import { clear, formatBytes, h } from '../dom.js';
import { type SharedNotebook, forkNotebook, listShared, publishNotebook, unpublishNotebook } from '../server/quire-api.js';
import type { Services } from '../server/services.js';
import { emptyNotebook } from '../model/ipynb.js';

export interface FileBrowserHost {
  open(path: string): void;
  /** Opens a shared notebook read-only; rejects when the shared space cannot give it. */
  openShared(path: string): Promise<void>;
  renamed(from: string, to: string): void;
  deleted(path: string): void;
  /** A shared notebook was removed from the space. */
  unpublished(path: string): void;
}

/**
 * Local notebooks (through the contents API) and the shared S3 space (through the server's shared-space
 * API): create, open, rename, delete, publish (local → shared), open read-only, fork (shared → a new local
 * notebook) and unpublish.
 */
export class FileBrowser {
  readonly element: HTMLElement;
  private list: HTMLElement;
  private pathLabel: HTMLElement;
  private error: HTMLElement;
  private notice: HTMLElement;
  private view: 'local' | 'shared' = 'local';
  private cwd = '';
  /** The shared space's `s3://` URL, once listed. */
  private sharedLocation = 'the shared space';
  /** Counts refreshes: only the latest one draws the list. */
  private refreshes = 0;

  constructor(private readonly services: Services, private readonly host: FileBrowserHost) {
    this.list = h('ul', { class: 'file-list', role: 'list' });
    this.pathLabel = h('div', { class: 'file-path' });
    this.error = h('div', { class: 'file-error', role: 'alert', hidden: true });
    this.notice = h('div', { class: 'file-path file-notice', role: 'status', hidden: true });
    this.element = h('nav', { class: 'file-browser', 'aria-label': 'Notebooks' },
      h('header', {},
        h('div', { class: 'file-roots segmented' },
          h('button', { 'data-root': 'local', onclick: () => void this.show(this.cwd) }, 'Local'),
          h('button', { 'data-root': 'shared', onclick: () => void this.showShared() }, 'Shared')),
        h('div', { class: 'file-actions' },
          h('button', { class: 'ghost', title: 'New notebook', 'data-action': 'new-notebook', onclick: () => void this.newNotebook() }, '+ Notebook'),
          h('button', { class: 'ghost', title: 'New folder', 'data-action': 'new-folder', onclick: () => void this.newFolder() }, '+ Folder'),
          h('button', { class: 'ghost', title: 'Refresh', 'data-action': 'refresh-files', onclick: () => void this.refresh() }, '↻'))),
      this.pathLabel, this.error, this.notice, this.list);
  }

  /** Shows a local folder. */
  async show(path: string): Promise<void> {
    this.view = 'local';
    this.cwd = path;
    this.notice.hidden = true;
    await this.refresh();
  }

  /** Shows the notebooks published to the shared space. */
  async showShared(): Promise<void> {
    this.view = 'shared';
    this.notice.hidden = true;
    await this.refresh();
  }

  async refresh(): Promise<void> {
    for (const button of this.element.querySelectorAll<HTMLElement>('[data-root]')) {
      button.setAttribute('aria-selected', String(button.dataset.root === this.view));
    }
    for (const button of this.element.querySelectorAll<HTMLButtonElement>('.file-actions [data-action^="new-"]')) button.disabled = this.view === 'shared';
    this.error.hidden = true;
    // A listing that answers after a later refresh started (the local one an action asked for, when Shared was
    // clicked meanwhile) must not draw over that refresh's list.
    const generation = ++this.refreshes;
    const current = () => generation === this.refreshes;
    const view = this.view;
    try {
      if (view === 'shared') await this.listShared(current);
      else await this.listLocal(current);
    } catch (error) {
      if (!current()) return;
      clear(this.list);
      this.showError(view === 'shared' ? `The shared space is not available: ${(error as Error).message}` : (error as Error).message);
    }
  }

  private async listLocal(current: () => boolean): Promise<void> {
    const listing = await this.services.contents.get(this.cwd, { content: true });
    if (!current()) return;
    clear(this.list);
    this.pathLabel.textContent = '/' + this.cwd;
    if (this.cwd) {
      const parent = this.cwd.split('/').slice(0, -1).join('/');
      this.list.append(h('li', { class: 'file-item dir' }, h('button', { class: 'file-name', onclick: () => void this.show(parent) }, '..')));
    }
    const entries = (listing.content as Contents.IModel[])
      .filter((item) => item.type === 'directory' || item.type === 'notebook')
      .sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'directory' ? -1 : 1));
    if (entries.length === 0) this.list.append(h('li', { class: 'empty' }, 'No notebooks here yet.'));
    for (const item of entries) this.list.append(this.localRow(item));
  }

  private async listShared(current: () => boolean): Promise<void> {
    const shared = await listShared(this.services.settings);
    if (!current()) return;
    clear(this.list);
    this.sharedLocation = shared.location;
    this.pathLabel.textContent = shared.location;
    if (shared.notebooks.length === 0) this.list.append(h('li', { class: 'empty' }, 'Nothing published yet: publish a local notebook with ⇪.'));
    for (const notebook of shared.notebooks) this.list.append(this.sharedRow(notebook));
  }

  private localRow(item: Contents.IModel): HTMLElement {
    const isDir = item.type === 'directory';
    const name = h('button', {
      class: 'file-name',
      title: item.path,
      onclick: () => (isDir ? void this.show(item.path) : this.host.open(item.path)),
    }, h('span', { class: 'file-icon' }, isDir ? '▸' : '◆'), item.name);
    const actions = h('span', { class: 'row-actions' });
    const li = h('li', { class: `file-item ${isDir ? 'dir' : 'notebook'}`, 'data-path': item.path }, name, actions);
    actions.append(h('button', { class: 'ghost icon', title: 'Rename', 'data-action': 'rename', onclick: () => this.startRename(li, item) }, '✎'));
    if (!isDir) {
      actions.append(h('button', { class: 'ghost icon', title: 'Publish to the shared space', 'data-action': 'publish', onclick: () => void this.act(async () => {
        const published = await publishNotebook(this.services.settings, item.path);
        this.showNotice(`Published ${item.path} to the shared space as ${published.path}`);
      }) }, '⇪'));
    }
    actions.append(h('button', { class: 'ghost icon danger', title: 'Delete', 'data-action': 'delete', onclick: () => {
      if (!confirm(`Delete ${item.path}? This cannot be undone.`)) return;
      void this.act(async () => {
        await this.services.contents.delete(item.path);
        this.host.deleted(item.path);
      });
    } }, '🗑'));
    return li;
  }

  /** A shared notebook opens read-only; forking makes a local copy to edit. */
  private sharedRow(notebook: SharedNotebook): HTMLElement {
    const details = `${notebook.path} · ${formatBytes(notebook.size)} · published ${new Date(notebook.lastModified).toLocaleString()}`;
    return h('li', { class: 'file-item notebook shared', 'data-shared-path': notebook.path },
      h('button', { class: 'file-name', title: `${details} — click to open read-only`, onclick: () => void this.openShared(notebook.path) }, h('span', { class: 'file-icon' }, '◇'), notebook.path),
      h('span', { class: 'row-actions' },
        h('button', { class: 'ghost icon', title: 'Fork into my notebooks', 'data-action': 'fork', onclick: () => void this.fork(notebook.path) }, '⑂'),
        h('button', { class: 'ghost icon danger', title: 'Unpublish: remove from the shared space', 'data-action': 'unpublish', onclick: () => this.unpublish(notebook.path) }, '⊘')));
  }

  /**
   * Opens a shared notebook read-only. Why it could not be (the space unreachable, the notebook removed
   * meanwhile) is shown here, after the shared listing is refreshed to what the space holds now.
   */
  async openShared(path: string): Promise<void> {
    try {
      await this.host.openShared(path);
      this.error.hidden = true;
    } catch (error) {
      if (this.view === 'shared') await this.refresh();
      this.showError(`Could not open the shared notebook ${path}: ${(error as Error).message}`);
    }
  }

  /** Copies a shared notebook into the local root under a free name and opens the copy. */
  async fork(sharedPath: string): Promise<void> {
    await this.act(async () => {
      const forked = await forkNotebook(this.services.settings, sharedPath, await this.freeLocalPath(sharedPath));
      this.showNotice(`Forked ${sharedPath} into ${forked.path}`);
      this.host.open(forked.path);
    });
  }

  private unpublish(path: string): void {
    if (!confirm(`Unpublish ${path}? It is removed from ${this.sharedLocation} for everyone; a copy is kept in the space's .history/.`)) return;
    void this.act(async () => {
      const removed = await unpublishNotebook(this.services.settings, path);
      this.host.unpublished(path);
      this.showNotice(`Unpublished ${path}; its last copy is kept at ${removed.keptAs}`);
    });
  }

  /** `name.ipynb` in the local root if it is free, else `name-fork.ipynb`, `name-fork-2.ipynb`, ... */
  private async freeLocalPath(sharedPath: string): Promise<string> {
    const root = await this.services.contents.get('', { content: true });
    const taken = new Set((root.content as Contents.IModel[]).map((item) => item.name));
    const name = sharedPath.split('/').pop()!;
    const stem = name.replace(/\.ipynb$/, '');
    for (let n = 0; n < 1000; n++) {
      const candidate = n === 0 ? name : `${stem}-fork${n === 1 ? '' : `-${n}`}.ipynb`;
      if (!taken.has(candidate)) return candidate;
    }
    throw new Error(`no free local name for a fork of ${sharedPath}: ${stem}-fork-1..999.ipynb are all taken`);
  }

  private startRename(li: HTMLElement, item: Contents.IModel): void {
    const input = h('input', { class: 'rename-input', value: item.name, 'aria-label': 'new name' });
    // Enter and the blur that follows when the row is redrawn must not rename twice.
    let finished = false;
    const finish = (commit: boolean) => {
      if (finished) return;
      finished = true;
      const typed = input.value.trim();
      // A notebook keeps its extension, or it would become a plain file the list no longer shows.
      const name = item.type === 'notebook' && typed && !typed.endsWith('.ipynb') ? `${typed}.ipynb` : typed;
      if (!commit || !name || name === item.name) return void this.refresh();
      if (name.includes('/')) {
        void this.refresh().then(() => this.showError(`A name cannot contain '/': ${name}`));
        return;
      }
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
      const { defaultKernel } = await this.services.kernels;
      const created = await this.services.contents.newUntitled({ path: this.cwd, type: 'notebook' });
      await this.services.contents.save(created.path, { type: 'notebook', format: 'json', content: emptyNotebook(defaultKernel) });
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

  private showNotice(message: string): void {
    this.notice.hidden = false;
    this.notice.textContent = message;
  }

  private showError(message: string): void {
    this.error.hidden = false;
    this.error.textContent = message;
  }
}
