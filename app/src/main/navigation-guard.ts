/**
 * Where the window may go. The window shows only the notebook server's pages; any other web address a
 * page tries to open goes to the system browser, and everything else (file:, javascript:, custom
 * schemes) is refused. Pure, so it is tested without Electron.
 */
export type NavigationDecision =
  | { action: 'allow' }
  | { action: 'open-externally'; url: string }
  | { action: 'deny'; reason: string };

const EXTERNAL_PROTOCOLS = new Set(['https:', 'http:', 'mailto:']);

export function decideNavigation(target: string, serverOrigin: string): NavigationDecision {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return { action: 'deny', reason: `not a URL: ${JSON.stringify(target)}` };
  }
  if (url.origin === serverOrigin) return { action: 'allow' };
  if (!EXTERNAL_PROTOCOLS.has(url.protocol)) return { action: 'deny', reason: `${url.protocol} links are not opened` };
  // Credentials in a link are a phishing pattern (https://trusted@evil/): never hand those on.
  if (url.username || url.password) return { action: 'deny', reason: 'links with credentials are not opened' };
  return { action: 'open-externally', url: url.href };
}

/** The origin of the server URL `quire serve` printed, e.g. `http://127.0.0.1:41234`; loopback only. */
export function serverOriginOf(serverUrl: string): string {
  const url = new URL(serverUrl);
  if (url.protocol !== 'http:' || url.hostname !== '127.0.0.1') {
    throw new Error(`the notebook server must be on http://127.0.0.1, not ${url.origin}`);
  }
  return url.origin;
}
