import { h } from '../dom.js';
import type { KernelStatus } from '../kernel/notebook-session.js';
import type { NotebookPanel, SaveState } from './notebook-panel.js';

const SAVE_LABELS: Record<SaveState, string> = { saved: 'Saved', unsaved: 'Unsaved changes', saving: 'Saving…', failed: 'Save failed' };

/**
 * Run / interrupt / restart / insert / save buttons, plus the kernel and save status of the notebook. A read-only
 * notebook has none of them, as it runs no kernel and cannot change: only what the shell adds to `extras`.
 */
export class NotebookToolbar {
  readonly element: HTMLElement;
  readonly extras: HTMLElement;
  private kernelBadge: HTMLElement;
  private saveBadge: HTMLElement;

  constructor(panel: NotebookPanel) {
    const button = (label: string, title: string, action: () => unknown, testId: string) =>
      h('button', { class: 'tool', title, 'data-action': testId, onclick: () => void action() }, label);
    this.kernelBadge = h('span', { class: 'status-badge kernel-status', 'data-status': 'none' }, 'no kernel');
    this.saveBadge = h('span', { class: 'status-badge save-status', 'data-state': 'saved' }, SAVE_LABELS.saved);
    this.extras = h('div', { class: 'toolbar-extras' });
    if (panel.readOnly) {
      this.element = h('div', { class: 'notebook-toolbar', role: 'toolbar' }, this.extras);
      return;
    }
    this.element = h(
      'div',
      { class: 'notebook-toolbar', role: 'toolbar' },
      button('▶ Run', 'Run the selected cell (Shift+Enter)', () => panel.run('advance'), 'run'),
      button('Run all', 'Run every cell, top to bottom', () => panel.runRange('all'), 'run-all'),
      button('Run above', 'Run the cells above the selected one', () => panel.runRange('above'), 'run-above'),
      button('Run below', 'Run the selected cell and those below', () => panel.runRange('below'), 'run-below'),
      h('span', { class: 'separator' }),
      button('■ Interrupt', 'Interrupt the kernel (I I)', () => panel.session.interrupt(), 'interrupt'),
      button('↻ Restart', 'Restart the kernel (0 0)', () => panel.session.restart(), 'restart'),
      h('span', { class: 'separator' }),
      button('+ Code', 'Insert a code cell below (B)', () => panel.command('insert-below'), 'add-code'),
      button('+ Markdown', 'Insert a markdown cell below', () => {
        panel.command('insert-below');
        panel.command('to-markdown');
        panel.command('edit');
      }, 'add-markdown'),
      button('Save', 'Save (Ctrl+S)', () => panel.saveNow(), 'save'),
      h('span', { class: 'spacer' }),
      this.extras,
      this.saveBadge,
      this.kernelBadge,
    );
    panel.session.onStatus((status) => this.showKernel(status));
    panel.onSaveState((state) => {
      this.saveBadge.dataset.state = state;
      this.saveBadge.textContent = SAVE_LABELS[state];
    });
  }

  private showKernel(status: KernelStatus): void {
    this.kernelBadge.dataset.status = status;
    this.kernelBadge.textContent = status === 'none' ? 'no kernel' : `kernel ${status}`;
  }
}
