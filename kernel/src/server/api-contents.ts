/** `/api/contents`: Jupyter Server's contents REST API over a ContentsStore, including checkpoints. */
import type { ContentType, ContentsStore, SaveRequest } from '../storage/contents-store.js';
import { HttpError } from './http-error.js';
import { readJson, sendEmpty, sendJson } from './http-kit.js';
import type { RouteContext, Router } from './router.js';

const CHECKPOINTS = /^(.*?)\/?checkpoints(?:\/([^/]+))?$/;

export function addContentsRoutes(router: Router, store: ContentsStore, bodyLimit: number): void {
  const location = (apiPath: string) => `/api/contents/${apiPath.split('/').map(encodeURIComponent).join('/')}`;

  router.add('GET', '/api/contents/*path', async ({ url, params, response }) => {
    const checkpoints = CHECKPOINTS.exec(params.path);
    if (checkpoints && !checkpoints[2] && (await isCheckpointsPath(store, params.path))) {
      return sendJson(response, 200, await store.listCheckpoints(checkpoints[1]));
    }
    const type = url.searchParams.get('type') as ContentType | null;
    const format = url.searchParams.get('format') ?? undefined;
    const content = url.searchParams.get('content') !== '0';
    sendJson(response, 200, await store.get(params.path, { type: type ?? undefined, format, content }));
  });

  router.add('PUT', '/api/contents/*path', async ({ request, params, response }) => {
    const body = await readJson(request, bodyLimit);
    if (typeof body.copy_from === 'string') throw new HttpError(400, 'copy with PUT is not supported; POST to the directory with copy_from');
    const { model, created } = await store.save(params.path, body as SaveRequest);
    sendJson(response, created ? 201 : 200, model, { Location: location(model.path) });
  });

  router.add('POST', '/api/contents/*path', async ({ request, params, response }) => {
    const checkpoints = CHECKPOINTS.exec(params.path);
    if (checkpoints && (await isCheckpointsPath(store, params.path))) {
      if (checkpoints[2]) {
        await store.restoreCheckpoint(checkpoints[1], checkpoints[2]);
        return sendEmpty(response);
      }
      return sendJson(response, 201, await store.createCheckpoint(checkpoints[1]));
    }
    const body = await readJson(request, bodyLimit);
    const model = await store.createUntitled(params.path, {
      type: body.type as ContentType | undefined,
      ext: typeof body.ext === 'string' ? body.ext : undefined,
      copyFrom: typeof body.copy_from === 'string' ? body.copy_from : undefined,
    });
    sendJson(response, 201, model, { Location: location(model.path) });
  });

  router.add('PATCH', '/api/contents/*path', async ({ request, params, response }) => {
    const body = await readJson(request, bodyLimit);
    if (typeof body.path !== 'string') throw new HttpError(400, 'rename needs a JSON body with the new "path"');
    sendJson(response, 200, await store.rename(params.path, body.path));
  });

  router.add('DELETE', '/api/contents/*path', async ({ params, response }: RouteContext) => {
    const checkpoints = CHECKPOINTS.exec(params.path);
    if (checkpoints?.[2] && (await isCheckpointsPath(store, params.path))) {
      await store.deleteCheckpoint(checkpoints[1], checkpoints[2]);
      return sendEmpty(response);
    }
    await store.delete(params.path);
    sendEmpty(response);
  });
}

/** `a/checkpoints` names a checkpoint collection unless a real file or folder has that path. */
async function isCheckpointsPath(store: ContentsStore, apiPath: string): Promise<boolean> {
  try {
    await store.get(apiPath, { content: false });
    return false;
  } catch {
    return true;
  }
}
