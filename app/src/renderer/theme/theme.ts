/** Light and dark themes: CSS variables keyed on <html data-theme>, the choice kept in localStorage. */
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'quire.theme';
const listeners = new Set<(theme: Theme) => void>();

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

export function initTheme(): Theme {
  const saved = localStorage.getItem(STORAGE_KEY);
  const preferred: Theme = window.matchMedia?.('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  const theme: Theme = saved === 'dark' || saved === 'light' ? saved : preferred;
  document.documentElement.dataset.theme = theme;
  return theme;
}

export function setTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
  localStorage.setItem(STORAGE_KEY, theme);
  for (const listener of listeners) listener(theme);
}

export function toggleTheme(): Theme {
  const next: Theme = currentTheme() === 'dark' ? 'light' : 'dark';
  setTheme(next);
  return next;
}

export function onThemeChange(listener: (theme: Theme) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
