import type { Contents } from '@jupyterlab/services';
import { clear, formatBytes, h } from '../dom.js';
import { type SharedNotebook, forkNotebook, listShared, publishNotebook } from '../server/quire-api.js';
import type { Services } from '../server/services.js';
import { emptyNotebook } from '../model/ipynb.js';

export interface FileBrowserHost {
  open(path: string): void;
  renamed(from: string, to: string): void;
  deleted(path: string): void;
}

/**
 * Local notebooks (through the contents API) and the shared S3 space (through the server's shared-space
 * API): create, open, rename, delete, publish (local → shared) and fork (shared → a new local notebook).
 */
export class FileBrowser {
  readonly element: HTMLElement;
  private list: HTMLElement;
  private pathLabel: HTMLElement;
  private error: HTMLElement;
  private notice: HTMLElement;
  private view: 'local' | 'shared' = 'local';
  private cwd = '';

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
    try {
      if (this.view === 'shared') await this.listShared();
      else await this.listLocal();
    } catch (error) {
      clear(this.list);
      this.showError(this.view === 'shared' ? `The shared space is not available: ${(error as Error).message}` : (error as Error).message);
    }
  }

  private async listLocal(): Promise<void> {
    const listing = await this.services.contents.get(this.cwd, { content: true });
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

  private async listShared(): Promise<void> {
    const shared = await listShared(this.services.settings);
    clear(this.list);
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

  /** A shared notebook is read-only here: forking makes a local copy to open and edit. */
  private sharedRow(notebook: SharedNotebook): HTMLElement {
    const fork = () => void this.act(async () => {
      const forked = await forkNotebook(this.services.settings, notebook.path, await this.freeLocalPath(notebook.path));
      this.showNotice(`Forked ${notebook.path} into ${forked.path}`);
      this.host.open(forked.path);
    });
    const details = `${notebook.path} · ${formatBytes(notebook.size)} · published ${new Date(notebook.lastModified).toLocaleString()}`;
    return h('li', { class: 'file-item notebook shared', 'data-shared-path': notebook.path },
      h('button', { class: 'file-name', title: `${details} — click to fork into your notebooks`, onclick: fork }, h('span', { class: 'file-icon' }, '◇'), notebook.path),
      h('span', { class: 'row-actions' }, h('button', { class: 'ghost icon', title: 'Fork into my notebooks', 'data-action': 'fork', onclick: fork }, '⑂')));
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
