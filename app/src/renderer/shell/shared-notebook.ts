import { h } from '../dom.js';
import type { NotebookJson } from '../model/ipynb.js';
import { NotebookPanel } from '../notebook/notebook-panel.js';
import { openSharedNotebook } from '../server/quire-api.js';
import type { Services } from '../server/services.js';

/** Who published a notebook and when, as `SharedSpace.publish` stamps it (`metadata.quire.published`). */
interface Published {
  author?: unknown;
  at?: unknown;
}

/**
 * A shared notebook in a read-only panel (no kernel, nothing to edit or save), headed by where it lives, who
 * published it and when, and a Fork to edit button. Fails, without a panel, when the space cannot give it.
 */
export async function openSharedPanel(services: Services, path: string, fork: () => Promise<void>): Promise<NotebookPanel> {
  const opened = await openSharedNotebook(services.settings, path);
  const json = opened.content as NotebookJson;
  const panel = new NotebookPanel(services, path, json, { readOnly: true });
  const published = ((json.metadata.quire as { published?: Published } | undefined)?.published) ?? {};
  const when = typeof published.at === 'string' && !Number.isNaN(Date.parse(published.at)) ? new Date(published.at).toLocaleString() : null;
  const by = typeof published.author === 'string' && published.author ? published.author : null;
  const stamp = by || when ? `published${by ? ` by ${by}` : ''}${when ? ` · ${when}` : ''}` : 'not stamped by a publish (put in the space directly)';
  const forkButton = h('button', { class: 'primary', 'data-action': 'fork-shared', title: 'Copy it into your notebooks and open the copy to edit and run' }, 'Fork to edit');
  forkButton.addEventListener('click', () => {
    forkButton.disabled = true;
    void fork().finally(() => (forkButton.disabled = false));
  });
  panel.toolbar.extras.append(h('div', { class: 'shared-info' },
    h('span', { class: 'status-badge shared-status', title: `${opened.location}: read-only here; fork it to edit` }, 'Shared · read-only'),
    h('span', { class: 'shared-location', title: opened.location }, opened.location),
    h('span', { class: 'shared-published muted' }, stamp),
    forkButton));
  return panel;
}
