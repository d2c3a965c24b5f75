import { ServerConnection } from '@jupyterlab/services';

/**
 * Where the notebook server is and how to authenticate. The UI is normally served by the notebook
 * server itself (browser mode and Electron alike), so the base URL is the page's origin and the token
 * comes from the `?token=` query parameter. `?server=` points a UI served elsewhere (e.g. Vite's dev
 * server) at another loopback server.
 */
export interface ServerLocation {
  baseUrl: string;
  token: string;
}

export function serverLocationFromPage(location: Location): ServerLocation {
  const params = new URLSearchParams(location.search);
  const server = params.get('server');
  const baseUrl = server ? new URL(server).href : new URL('./', location.href).href;
  const token = params.get('token') ?? sessionStorage.getItem('quire.token') ?? '';
  if (token) sessionStorage.setItem('quire.token', token);
  return { baseUrl: baseUrl.endsWith('/') ? baseUrl : baseUrl + '/', token };
}

export function makeServerSettings(where: ServerLocation): ServerConnection.ISettings {
  const wsUrl = where.baseUrl.replace(/^http/, 'ws');
  return ServerConnection.makeSettings({ baseUrl: where.baseUrl, wsUrl, token: where.token, appendToken: true });
}

/** A JSON request to a REST endpoint of the server; a non-2xx answer throws with the server's message. */
export async function requestJson<T>(
  settings: ServerConnection.ISettings,
  path: string,
  init: RequestInit = {},
): Promise<T> {
  const url = new URL(path, settings.baseUrl).href;
  const response = await ServerConnection.makeRequest(url, init, settings);
  if (!response.ok) {
    const body = await response.text();
    let message = body;
    try {
      message = (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      // The body is not JSON: the raw text is the message.
    }
    throw new Error(`${init.method ?? 'GET'} ${path} failed (${response.status}): ${message || response.statusText}`);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}
