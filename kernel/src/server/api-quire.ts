/**
 * Quire's own API under `/api/quire/`:
 *   GET  /api/quire/backup                       backup location and per-notebook state (synced, pending, failing, conflict)
 *   POST /api/quire/backup        {path?|all?}   queue a backup of one notebook or all, then upload what is due
 *   POST /api/quire/backup/resolve {path, keep}  after a conflict: keep 'ours' (the local notebook replaces the
 *                                                remote one) or 'theirs' (the remote notebook replaces the local
 *                                                file and becomes the synced one)
 *   POST /api/quire/backup/accept {path}         the same as resolve with keep 'theirs'
 *   GET  /api/quire/history/PATH                 versions of a notebook
 *   GET  /api/quire/history/PATH?version=V       one version's notebook
 *   GET  /api/quire/diff/PATH?from=A&to=B        cell-by-cell diff of two versions (`current` = local file)
 *   POST /api/quire/restore/PATH  {version}      restore a version (the current content becomes a version first)
 *   GET  /api/quire/shared                       notebooks in the shared space
 *   GET  /api/quire/shared/notebooks/PATH        one shared notebook, read-only
 *   DELETE /api/quire/shared/notebooks/PATH      unpublish it (the removed copy is kept under the space's .history/)
 *   POST /api/quire/shared/fork    {path, to?}   copy a shared notebook into the local root
 *   POST /api/quire/shared/publish {path, as?}   publish a local notebook into the shared space
 */
import type { BackupService } from '../storage/backup-service.js';
import type { ContentsStore } from '../storage/contents-store.js';
import type { NotebookHistory } from '../storage/notebook-history.js';
import { formatS3Url } from '../storage/s3-location.js';
import type { SharedSpace } from '../storage/shared-space.js';
import { readNotebookText } from '../storage/notebook-format.js';
import { HttpError } from './http-error.js';
import { readJson, sendJson } from './http-kit.js';
import type { Router } from './router.js';
import { backupAll, backupFile, localNotebookBytes } from './quire-services.js';

export interface QuireApiServices {
  store: ContentsStore;
  backup?: BackupService;
  history?: NotebookHistory;
  shared?: SharedSpace;
}

function need<T>(value: T | undefined, what: string): T {
  if (!value) throw new HttpError(409, `${what} is not configured: pass --${what === 'backup' ? 'backup' : 'shared'} s3://BUCKET/PREFIX, set QUIRE_${what.toUpperCase()}, or add "${what}" to settings.json`);
  return value;
}

function stringField(body: Record<string, unknown>, name: string, required = true): string | undefined {
  const value = body[name];
  if (value === undefined && !required) return undefined;
  if (typeof value !== 'string' || !value) throw new HttpError(400, `"${name}" must be a non-empty string`);
  return value;
}

export function addQuireRoutes(router: Router, services: QuireApiServices, bodyLimit: number): void {
  const { store } = services;

  router.add('GET', '/api/quire/backup', async ({ response }) => {
    if (!services.backup) return sendJson(response, 200, { configured: false, notebooks: {} });
    sendJson(response, 200, { configured: true, location: formatS3Url(services.backup.location), notebooks: await services.backup.status() });
  });

  router.add('POST', '/api/quire/backup', async ({ request, response }) => {
    const backup = need(services.backup, 'backup');
    const body = await readJson(request, bodyLimit);
    const path = stringField(body, 'path', false);
    const queued = path ? [path] : body.all === true ? await backupAll(store, backup) : [];
    if (path) await backupFile(store, backup, path);
    await backup.drain();
    sendJson(response, 200, { queued, notebooks: await backup.status() });
  });

  // The remote notebook, byte for byte, becomes the local file: the editor then shows what is on S3.
  const keepTheirs = (backup: BackupService, path: string): Promise<void> =>
    backup.takeRemote(path, async (bytes) => {
      readNotebookText(Buffer.from(bytes).toString('utf8'), `${formatS3Url(backup.location)}/${path}`);
      await store.save(path, { type: 'file', format: 'base64', content: Buffer.from(bytes).toString('base64') });
    });

  router.add('POST', '/api/quire/backup/accept', async ({ request, response }) => {
    const backup = need(services.backup, 'backup');
    const path = stringField(await readJson(request, bodyLimit), 'path')!;
    await keepTheirs(backup, path);
    sendJson(response, 200, (await backup.status())[path]);
  });

  router.add('POST', '/api/quire/backup/resolve', async ({ request, response }) => {
    const backup = need(services.backup, 'backup');
    const body = await readJson(request, bodyLimit);
    const path = stringField(body, 'path')!;
    const keep = body.keep;
    if (keep !== 'ours' && keep !== 'theirs') throw new HttpError(400, `"keep" must be 'ours' or 'theirs', got ${JSON.stringify(keep)}`);
    const state = (await backup.status())[path];
    if (state?.status !== 'conflict') throw new HttpError(409, `${path} has no backup conflict to resolve (its backup is ${state?.status ?? 'unknown'})`);
    if (keep === 'theirs') await keepTheirs(backup, path);
    else await backup.keepOurs(path, await localNotebookBytes(store, path));
    sendJson(response, 200, (await backup.status())[path]);
  });

  router.add('GET', '/api/quire/history/*path', async ({ url, params, response }) => {
    const history = need(services.history, 'backup');
    const version = url.searchParams.get('version');
    if (!version) return sendJson(response, 200, { path: params.path, versions: await history.list(params.path) });
    sendJson(response, 200, { path: params.path, version, content: readNotebookText(await history.read(params.path, version), `${params.path}@${version}`) });
  });

  router.add('GET', '/api/quire/diff/*path', async ({ url, params, response }) => {
    const history = need(services.history, 'backup');
    const from = url.searchParams.get('from');
    const to = url.searchParams.get('to') ?? 'current';
    if (!from) throw new HttpError(400, 'diff needs ?from=VERSION (and optionally &to=VERSION, default current)');
    sendJson(response, 200, { path: params.path, from, to, cells: await history.diff(params.path, from, to) });
  });

  router.add('POST', '/api/quire/restore/*path', async ({ request, params, response }) => {
    const history = need(services.history, 'backup');
    const version = stringField(await readJson(request, bodyLimit), 'version')!;
    sendJson(response, 200, await history.restore(params.path, version));
  });

  router.add('GET', '/api/quire/shared', async ({ response }) => {
    const shared = need(services.shared, 'shared');
    sendJson(response, 200, { location: formatS3Url(shared.location), notebooks: await shared.list() });
  });

  router.add('GET', '/api/quire/shared/notebooks/*path', async ({ params, response }) => {
    sendJson(response, 200, await need(services.shared, 'shared').open(params.path));
  });

  router.add('DELETE', '/api/quire/shared/notebooks/*path', async ({ params, response }) => {
    sendJson(response, 200, await need(services.shared, 'shared').unpublish(params.path));
  });

  router.add('POST', '/api/quire/shared/fork', async ({ request, response }) => {
    const body = await readJson(request, bodyLimit);
    sendJson(response, 201, await need(services.shared, 'shared').fork(stringField(body, 'path')!, stringField(body, 'to', false)));
  });

  router.add('POST', '/api/quire/shared/publish', async ({ request, response }) => {
    const body = await readJson(request, bodyLimit);
    sendJson(response, 201, await need(services.shared, 'shared').publish(stringField(body, 'path')!, stringField(body, 'as', false)));
  });
}
