/**
 * Serves the built UI (app/dist by default) with index.html for unknown paths (a single-page app). HTML
 * documents carry the UI's Content-Security-Policy as a header, so browser mode is held to the same policy as
 * the Electron window, frame-ancestors included (which the page's <meta> tag cannot set).
 */
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { CONTENT_SECURITY_POLICY_HEADER } from './content-security-policy.js';
import { HttpError } from './http-error.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css',
  '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.wasm': 'application/wasm', '.woff2': 'font/woff2', '.ttf': 'font/ttf', '.map': 'application/json',
};

export async function serveStatic(dir: string, pathname: string, response: ServerResponse): Promise<void> {
  const root = await realpath(dir).catch(() => {
    throw new HttpError(404, `the UI is not built (no ${dir}); run the app build, or pass --static DIR`);
  });
  const relative = decodeURIComponent(pathname).replace(/^\/+/, '');
  let file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) throw new HttpError(403, `path leaves the static root: ${pathname}`);
  let info = await stat(file).catch(() => undefined);
  if (!info || info.isDirectory()) {
    file = info?.isDirectory() && (await stat(path.join(file, 'index.html')).catch(() => undefined)) ? path.join(file, 'index.html') : path.join(root, 'index.html');
    info = await stat(file).catch(() => undefined);
    if (!info) throw new HttpError(404, `not found: ${pathname}`);
  }
  const real = await realpath(file);
  if (!real.startsWith(root + path.sep)) throw new HttpError(403, `path leaves the static root: ${pathname}`);
  const type = TYPES[path.extname(file)] ?? 'application/octet-stream';
  const policy = type.startsWith('text/html') ? { 'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER } : {};
  response.writeHead(200, { 'Content-Type': type, 'Content-Length': info.size, ...policy });
  createReadStream(real).pipe(response);
}
