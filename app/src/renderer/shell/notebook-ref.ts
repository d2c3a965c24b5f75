/** Which notebook a tab shows: a file in the local root, or a notebook in the shared S3 space (read-only). */
export interface NotebookRef {
  space: 'local' | 'shared';
  path: string;
}

const SHARED = 'shared://';

/**
 * A tab's identity. A local notebook's is its API path, as in `?open=`, the recent list and the file browser;
 * a shared one's is prefixed `shared://`, which no local API path can start with (they never hold `//`), so a
 * shared notebook and a local one of the same path are two tabs.
 */
export function refKey(ref: NotebookRef): string {
  return ref.space === 'shared' ? SHARED + ref.path : ref.path;
}

export function refFromKey(key: string): NotebookRef {
  return key.startsWith(SHARED) ? { space: 'shared', path: key.slice(SHARED.length) } : { space: 'local', path: key };
}
