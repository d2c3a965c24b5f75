import { clear, h } from '../dom.js';
import { ClusterPanel } from '../cluster/cluster-panel.js';
import { FileBrowser } from '../files/file-browser.js';
import { HistoryPanel } from '../history/history-panel.js';
import type { NotebookJson } from '../model/ipynb.js';
import { NotebookPanel } from '../notebook/notebook-panel.js';
import type { MenuCommand } from '../../preload/api.js';
import type { Services } from '../server/services.js';
import { toggleTheme } from '../theme/theme.js';
import { BackupIndicator } from './backup-indicator.js';
import { type NotebookRef, refFromKey, refKey } from './notebook-ref.js';
import { openSharedPanel } from './shared-notebook.js';
import { TabBar } from './tab-bar.js';

interface OpenNotebook {
  ref: NotebookRef;
  panel: NotebookPanel;
  /** Local notebooks only: a shared one is not backed up from here. */
  backup?: BackupIndicator;
}

/** Menu commands that would run or change a notebook: a shared (read-only) one answers them with why not. */
const WRITING_COMMANDS: ReadonlySet<MenuCommand> = new Set(['save', 'run-all', 'interrupt', 'restart']);

/**
 * The window: header, file browser, notebook tabs, and the cluster / history side panels. Tabs are keyed by
 * `refKey`: a local notebook's path, or `shared://PATH` for a shared notebook open read-only.
 */
export class AppShell {
  readonly element: HTMLElement;
  private notebooks = new Map<string, OpenNotebook>();
  /** Notebooks being fetched: a second request for one (a double click, Open Recent twice) waits for the first. */
  private opening = new Map<string, Promise<void>>();
  private activePath: string | null = null;
  private tabs: TabBar;
  private main: HTMLElement;
  private side: HTMLElement;
  private files: FileBrowser;
  private cluster: ClusterPanel;
  private sidePanel: 'cluster' | 'history' | null = null;
  private banner: HTMLElement;

  constructor(private readonly services: Services) {
    this.files = new FileBrowser(services, {
      open: (path) => void this.open(path),
      openShared: (path) => this.openRef({ space: 'shared', path }),
      renamed: (from, to) => void this.renamed(from, to),
      deleted: (path) => void this.close(path, true),
      unpublished: (path) => void this.close(refKey({ space: 'shared', path }), true),
    });
    this.cluster = new ClusterPanel(services.settings, () => this.active()?.panel.session.jobOwner ?? null);
    this.tabs = new TabBar((path) => this.activate(path), (path) => void this.close(path));
    this.main = h('main', { class: 'notebook-host' });
    this.side = h('div', { class: 'side-host', hidden: true });
    this.banner = h('div', { class: 'banner', role: 'alert', hidden: true });
    const headerButton = (label: string, action: string, onclick: () => void) => h('button', { class: 'ghost', 'data-action': action, onclick }, label);
    this.element = h('div', { class: 'app-shell' },
      h('header', { class: 'app-header' },
        h('div', { class: 'brand' }, h('span', { class: 'logo' }, 'Q'), 'Quire'),
        h('span', { class: 'spacer' }),
        headerButton('History', 'toggle-history', () => this.toggleSide('history')),
        headerButton('Cluster', 'toggle-cluster', () => this.toggleSide('cluster')),
        headerButton('◐ Theme', 'toggle-theme', () => toggleTheme())),
      this.banner,
      h('div', { class: 'app-body' },
        this.files.element,
        h('div', { class: 'workspace' }, this.tabs.element, this.main),
        this.side));
    window.addEventListener('keydown', (event) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 's') {
        event.preventDefault();
        const open = this.active();
        if (open && !open.panel.readOnly) void open.panel.saveNow();
      }
    });
    window.addEventListener('beforeunload', (event) => {
      if ([...this.notebooks.values()].some((n) => n.panel.model.dirty)) event.preventDefault();
    });
    // The native menu (Electron only): its commands and File › Open Recent act on this window's notebooks.
    window.quire?.onMenuCommand((command) => void this.menu(command).catch((error: unknown) => this.showBanner(`${command} failed: ${(error as Error).message}`)));
    window.quire?.onOpenRecent((path) => void this.open(path));
    this.renderMain();
  }

  /**
   * Lists the root folder and opens the notebook named in the URL at once: neither needs the other's answer,
   * so the notebook's fetch and its kernel's start do not wait behind the listing.
   */
  async start(): Promise<void> {
    const wanted = new URLSearchParams(location.search).get('open');
    const ref = wanted ? refFromKey(wanted) : null;
    // A shared notebook that cannot be opened says why in the file browser, as when its row is clicked.
    await Promise.all([this.files.show(''), ref ? (ref.space === 'shared' ? this.files.openShared(ref.path) : this.open(ref.path)) : undefined]);
  }

  /** Opens a local notebook, or shows its tab if it is open. */
  async open(path: string): Promise<void> {
    return this.openRef({ space: 'local', path });
  }

  /** Opens a notebook, or shows its tab; a shared one that cannot be opened rejects, for the caller to show why. */
  private async openRef(ref: NotebookRef): Promise<void> {
    const key = refKey(ref);
    if (this.notebooks.has(key)) return this.activate(key);
    const pending = this.opening.get(key);
    if (pending) return pending;
    const opened = (ref.space === 'shared' ? this.loadShared(ref.path) : this.load(ref.path)).finally(() => this.opening.delete(key));
    this.opening.set(key, opened);
    return opened;
  }

  private async loadShared(path: string): Promise<void> {
    const ref: NotebookRef = { space: 'shared', path };
    const panel = await openSharedPanel(this.services, path, () => this.files.fork(path));
    this.notebooks.set(refKey(ref), { ref, panel });
    this.activate(refKey(ref));
  }

  private async load(path: string): Promise<void> {
    try {
      const file = await this.services.contents.get(path, { type: 'notebook', content: true });
      const panel = new NotebookPanel(this.services, path, file.content as NotebookJson);
      // Taking the S3 copy in a backup conflict replaces the file under the editor: open it again.
      const backup = new BackupIndicator(this.services.settings, () => panel.path, () => this.reopen(panel.path));
      panel.toolbar.extras.append(backup.element);
      panel.model.on((event) => event.kind === 'dirty-changed' && this.renderTabs());
      this.notebooks.set(path, { ref: { space: 'local', path }, panel, backup });
      this.activate(path);
      backup.start();
      window.quire?.addRecentNotebook(path).catch((error: unknown) => this.showBanner(`Could not add ${path} to the recent notebooks: ${(error as Error).message}`));
      await panel.start();
    } catch (error) {
      this.showBanner(`Could not open ${path}: ${(error as Error).message}`);
    }
  }

  private active(): OpenNotebook | null {
    return this.activePath ? this.notebooks.get(this.activePath) ?? null : null;
  }

  private activate(key: string): void {
    this.activePath = key;
    this.renderTabs();
    this.renderMain();
    if (this.sidePanel === 'history') void this.toggleSide('history', true);
    const url = new URL(location.href);
    url.searchParams.set('open', key);
    history.replaceState(null, '', url);
  }

  private async close(key: string, force = false): Promise<void> {
    const open = this.notebooks.get(key);
    if (!open) return;
    if (!force && open.panel.model.dirty && !confirm(`${open.ref.path} has unsaved changes. Close it anyway?`)) return;
    open.backup?.stop();
    this.notebooks.delete(key);
    if (this.activePath === key) this.activePath = [...this.notebooks.keys()].pop() ?? null;
    this.renderTabs();
    this.renderMain();
    await open.panel.dispose();
  }

  /** Shows the notebook's file as it is now on disk, after the server replaced it. */
  private async reopen(path: string): Promise<void> {
    await this.close(path, true);
    await this.open(path);
  }

  private async renamed(from: string, to: string): Promise<void> {
    const open = this.notebooks.get(from);
    if (!open) return;
    this.notebooks.delete(from);
    this.notebooks.set(to, open);
    open.ref = { space: 'local', path: to };
    open.panel.path = to;
    await open.panel.session.rename(to);
    if (this.activePath === from) this.activePath = to;
    this.renderTabs();
  }

  private renderTabs(): void {
    this.tabs.set([...this.notebooks.entries()].map(([key, { ref, panel }]) => ({
      id: key,
      title: ref.path.split('/').pop()!.replace(/\.ipynb$/, ''),
      tooltip: ref.space === 'shared' ? `${ref.path} — shared, read-only` : ref.path,
      dirty: panel.model.dirty,
      shared: ref.space === 'shared',
    })), this.activePath);
  }

  private renderMain(): void {
    const open = this.active();
    if (open && this.main.firstChild === open.panel.element) return;
    clear(this.main);
    if (open) {
      this.main.append(open.panel.element);
      return;
    }
    this.main.append(h('div', { class: 'welcome' },
      h('h1', {}, 'Quire'),
      h('p', {}, 'Open a notebook from the list, or create one.'),
      h('button', { class: 'primary', onclick: () => this.element.querySelector<HTMLButtonElement>('[data-action="new-notebook"]')?.click() }, 'New notebook')));
  }

  private async toggleSide(which: 'cluster' | 'history', keepOpen = false): Promise<void> {
    const showing = keepOpen || this.sidePanel !== which;
    this.cluster.stop();
    clear(this.side);
    this.sidePanel = showing ? which : null;
    this.side.hidden = !showing;
    for (const button of this.element.querySelectorAll<HTMLElement>('[data-action^="toggle-"]')) {
      button.setAttribute('aria-pressed', String(button.dataset.action === `toggle-${this.sidePanel}`));
    }
    if (!showing) return;
    if (which === 'cluster') {
      this.side.append(this.cluster.element);
      this.cluster.start();
      return;
    }
    const open = this.active();
    if (!open || open.ref.space === 'shared') {
      const why = open ? 'Version history is kept for local notebooks: fork this shared notebook to edit it and keep its history.' : 'Open a notebook to see its history.';
      this.side.append(h('aside', { class: 'side-panel' }, h('p', { class: 'empty' }, why)));
      return;
    }
    const history = new HistoryPanel(open.panel, () => this.reopen(open.panel.path));
    this.side.append(history.element);
    await history.load();
  }

  private async menu(command: MenuCommand): Promise<void> {
    const open = this.active();
    if (open?.panel.readOnly && WRITING_COMMANDS.has(command)) throw new Error(`${open.ref.path} is a shared notebook, open read-only: Fork to edit makes a copy you can change`);
    switch (command) {
      case 'new-notebook':
        return this.element.querySelector<HTMLButtonElement>('[data-action="new-notebook"]')?.click();
      case 'open-notebook': {
        const path = await window.quire?.openNotebookDialog();
        if (path) await this.open(path);
        return;
      }
      case 'save':
        return open?.panel.saveNow();
      case 'run-all':
        return open?.panel.runRange('all');
      case 'interrupt':
        return open?.panel.session.interrupt();
      case 'restart':
        return open?.panel.session.restart();
      case 'toggle-theme':
        toggleTheme();
        return;
      case 'toggle-cluster':
        return this.toggleSide('cluster');
    }
  }

  private showBanner(message: string): void {
    this.banner.hidden = false;
    this.banner.textContent = message;
    this.banner.onclick = () => (this.banner.hidden = true);
  }
}
