/** Light and dark themes: CSS variables keyed on <html data-theme>, the choice kept in localStorage. */
export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'quire.theme';
const listeners = new Set<(theme: Theme) => void>();

export function currentTheme(): Theme {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

/**
 * Applies the saved choice or, until the user picks one, the system's: a system switch (a dark mode that
 * turns on at sunset) is followed while no choice is saved.
 */
export function initTheme(): Theme {
  const system = window.matchMedia?.('(prefers-color-scheme: dark)');
  const saved = savedTheme();
  const theme: Theme = saved ?? (system?.matches ? 'dark' : 'light');
  document.documentElement.dataset.theme = theme;
  system?.addEventListener('change', (event) => {
    if (savedTheme() === null) apply(event.matches ? 'dark' : 'light');
  });
  return theme;
}

function savedTheme(): Theme | null {
  const saved = localStorage.getItem(STORAGE_KEY);
  return saved === 'dark' || saved === 'light' ? saved : null;
}

function apply(theme: Theme): void {
  if (document.documentElement.dataset.theme === theme) return;
  document.documentElement.dataset.theme = theme;
  for (const listener of listeners) listener(theme);
}

/** The user's choice: applied now and kept. */
export function setTheme(theme: Theme): void {
  localStorage.setItem(STORAGE_KEY, theme);
  apply(theme);
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
