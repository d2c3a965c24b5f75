/** A tiny element builder: the UI is plain DOM, so this keeps view code short and readable. */
type Attrs = Record<string, string | number | boolean | undefined | ((event: any) => void)>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(key.replace(/^on/, '').toLowerCase(), value);
    else if (key === 'class') el.className = String(value);
    else if (value === true) el.setAttribute(key, '');
    else el.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child);
  }
  return el;
}

/**
 * Makes `children` the parent's children from index `from` on, in this order. Nothing moves when they are
 * already in place: moving an element takes the focus, hover or press it had.
 */
export function keepChildren(parent: Element, children: Element[], from = 0): void {
  const current = Array.from(parent.children).slice(from);
  if (current.length === children.length && current.every((child, i) => child === children[i])) return;
  for (const child of current) if (!children.includes(child)) child.remove();
  parent.append(...children);
}

export function clear(el: Element): void {
  while (el.firstChild) el.firstChild.remove();
}

/** Human duration: 12 ms, 1.4 s, 2 min 3 s. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/** Offers `data` to the user as a file download (browser mode and Electron alike). */
export function downloadUrl(url: string, filename: string): void {
  const link = h('a', { href: url, download: filename });
  document.body.append(link);
  link.click();
  link.remove();
}
