import { clear, h } from '../dom.js';

export interface Tab {
  id: string;
  title: string;
  /** Shown on hover: the notebook's path, and for a shared one that it is read-only. */
  tooltip: string;
  dirty: boolean;
  /** A read-only notebook from the shared space, marked ◇ as in the file browser. */
  shared: boolean;
}

/** The open notebooks as tabs: click to switch, × (or middle click) to close. */
export class TabBar {
  readonly element = h('div', { class: 'tab-bar', role: 'tablist' });
  private tabs: Tab[] = [];
  private activeId: string | null = null;

  constructor(private readonly onSelect: (id: string) => void, private readonly onClose: (id: string) => void) {}

  set(tabs: Tab[], activeId: string | null): void {
    this.tabs = tabs;
    this.activeId = activeId;
    this.render();
  }

  private render(): void {
    clear(this.element);
    for (const tab of this.tabs) {
      const close = h('button', { class: 'tab-close', title: 'Close', 'aria-label': `close ${tab.title}`, onclick: (event: Event) => {
        event.stopPropagation();
        this.onClose(tab.id);
      } }, '×');
      this.element.append(h('div', {
        class: tab.shared ? 'tab shared' : 'tab',
        role: 'tab',
        title: tab.tooltip,
        'aria-selected': String(tab.id === this.activeId),
        'data-path': tab.id,
        'data-space': tab.shared ? 'shared' : 'local',
        onclick: () => this.onSelect(tab.id),
        onauxclick: (event: MouseEvent) => event.button === 1 && this.onClose(tab.id),
      }, tab.shared ? h('span', { class: 'tab-shared', 'aria-label': 'shared, read-only' }, '◇') : null, h('span', { class: 'tab-title' }, tab.title), tab.dirty ? h('span', { class: 'tab-dirty', title: 'unsaved changes' }, '●') : null, close));
    }
  }
}
