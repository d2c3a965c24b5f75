/**
 * The notebook server: HTTP and WebSocket on 127.0.0.1, every request token-checked, routing to the
 * Jupyter REST API, Quire's own API (`/api/quire/...`), the cluster proxy and the UI's static files.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ContentsStore } from '../storage/contents-store.js';
import { removeOrphanedTempFiles } from '../storage/orphaned-temp-files.js';
import { addContentsRoutes } from './api-contents.js';
import { addKernelRoutes } from './api-kernels.js';
import { SessionRegistry, addSessionRoutes } from './api-sessions.js';
import { TOKEN_COOKIE, cookieToken, requestToken, tokenMatches } from './auth.js';
import { HttpError, toHttpError } from './http-error.js';
import { sendJson } from './http-kit.js';
import { KernelChannels } from './kernel-channels.js';
import { KernelRegistry } from './kernel-registry.js';
import { KernelSpecCatalog } from './kernelspecs.js';
import { Router } from './router.js';
import { serveStatic } from './static-files.js';

export interface ServerOptions {
  root: string;
  port?: number;
  token?: string;
  /** Built UI to serve at `/`. */
  staticDir?: string;
  /** Largest accepted request body and WebSocket message, in bytes. */
  maxBodyBytes?: number;
  kernelSpecDirs?: string[];
  /** Environment added to every kernel (QUIRE_CLUSTER). */
  kernelEnv?: Record<string, string>;
  log?: (line: string) => void;
  /** Extra routes (Quire API, cluster proxy) added by the caller after the Jupyter ones. */
  extend?: (context: ServerContext) => void;
}

export interface ServerContext {
  router: Router;
  store: ContentsStore;
  kernels: KernelRegistry;
  bodyLimit: number;
  log: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  token: string;
  store: ContentsStore;
  kernels: KernelRegistry;
  close(): Promise<void>;
}

export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const token = options.token ?? randomBytes(24).toString('hex');
  const bodyLimit = options.maxBodyBytes ?? 100 * 1024 * 1024;
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const started = new Date();
  const store = new ContentsStore(options.root);
  for (const orphan of await removeOrphanedTempFiles(options.root)) log(`removed ${orphan}, left by a save that was killed before it finished`);
  const catalog = new KernelSpecCatalog(options.kernelSpecDirs);
  const kernels = new KernelRegistry({ catalog, cwd: options.root, env: options.kernelEnv ?? {}, log });
  const sessions = new SessionRegistry(kernels, store.paths);
  const channels = new KernelChannels(kernels, log, bodyLimit);
  const router = new Router();

  router.add('GET', '/api', async ({ response }) => sendJson(response, 200, { version: '2.14.0', quire: true }));
  router.add('GET', '/api/status', async ({ response }) => {
    const list = kernels.list();
    const lastActivity = list.map((k) => k.last_activity).sort().at(-1) ?? started.toISOString();
    sendJson(response, 200, { started: started.toISOString(), last_activity: lastActivity, kernels: list.length, connections: list.reduce((n, k) => n + k.connections, 0) });
  });
  router.add('GET', '/api/me', async ({ response }) =>
    sendJson(response, 200, { identity: { username: 'quire', name: 'Quire', display_name: 'Quire', initials: 'Q', avatar_url: null, color: null }, permissions: {} }),
  );
  addKernelRoutes(router, catalog, kernels, bodyLimit);
  addSessionRoutes(router, sessions, bodyLimit);
  addContentsRoutes(router, store, bodyLimit);
  options.extend?.({ router, store, kernels, bodyLimit, log });

  const server = http.createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => {
      const httpError = toHttpError(error);
      if (httpError.status >= 500) log(`${request.method} ${request.url}: ${(error as Error).stack ?? String(error)}`);
      if (response.headersSent) return void response.destroy();
      // An unread body (e.g. a refused oversized upload) must not keep the connection busy.
      sendJson(response, httpError.status, { message: httpError.message, reason: http.STATUS_CODES[httpError.status] }, httpError.status === 413 ? { Connection: 'close' } : {});
    });
  });

  async function handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const queryToken = url.searchParams.get('token') ?? undefined;
    const given = requestToken(request, url) ?? cookieToken(request);
    if (!tokenMatches(token, given)) throw new HttpError(403, 'missing or wrong token: send "Authorization: token <token>" or ?token=<token>');
    if (queryToken) response.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`);
    try {
      decodeURIComponent(url.pathname);
    } catch {
      throw new HttpError(400, `malformed percent-encoding in ${url.pathname}`);
    }
    const match = router.match(request.method ?? 'GET', url.pathname);
    if (match === 'method') throw new HttpError(405, `${request.method} is not allowed on ${url.pathname}`);
    if (match) return match.handler({ request, response, url, params: match.params });
    if (url.pathname.startsWith('/api/')) throw new HttpError(404, `no API endpoint ${url.pathname}`);
    if (!options.staticDir) throw new HttpError(404, `not found: ${url.pathname}`);
    if (request.method !== 'GET' && request.method !== 'HEAD') throw new HttpError(405, `${request.method} is not allowed on ${url.pathname}`);
    await serveStatic(options.staticDir, url.pathname, response);
  }

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const refuse = (status: number, message: string) => {
      socket.end(`HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${message}\n`);
    };
    if (!tokenMatches(token, requestToken(request, url) ?? cookieToken(request))) return refuse(403, 'missing or wrong token');
    const match = /^\/api\/kernels\/([^/]+)\/channels$/.exec(url.pathname);
    if (!match) return refuse(404, `no WebSocket endpoint ${url.pathname}`);
    const kernelId = decodeURIComponent(match[1]);
    if (!kernels.has(kernelId)) return refuse(404, `no kernel with id ${kernelId}`);
    channels.upgrade(request, socket, head, kernelId);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8888, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/`,
    port,
    token,
    store,
    kernels,
    async close() {
      channels.close();
      await kernels.shutdownAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
