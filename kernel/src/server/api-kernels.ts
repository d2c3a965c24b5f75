/** `/api/kernelspecs`, `/kernelspecs/{name}/{file}` and `/api/kernels`. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HttpError } from './http-error.js';
import { readJson, sendEmpty, sendJson } from './http-kit.js';
import type { KernelRegistry } from './kernel-registry.js';
import type { KernelSpecCatalog, KernelSpecEntry } from './kernelspecs.js';
import type { Router } from './router.js';

const RESOURCE_TYPES: Record<string, string> = { '.png': 'image/png', '.svg': 'image/svg+xml', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json' };

function specModel(entry: KernelSpecEntry): Record<string, unknown> {
  const resources: Record<string, string> = {};
  if (entry.resourceDir) {
    for (const logo of ['logo-32x32.png', 'logo-64x64.png', 'logo-svg.svg']) resources[logo.replace(/\.(png|svg)$/, '')] = `/kernelspecs/${encodeURIComponent(entry.name)}/${logo}`;
  }
  return { name: entry.name, spec: { interrupt_mode: 'signal', env: {}, metadata: {}, ...entry.spec }, resources };
}

export function addKernelRoutes(router: Router, catalog: KernelSpecCatalog, kernels: KernelRegistry, bodyLimit: number): void {
  router.add('GET', '/api/kernelspecs', async ({ response }) => {
    const specs = await catalog.list();
    const kernelspecs = Object.fromEntries([...specs.values()].map((entry) => [entry.name, specModel(entry)]));
    sendJson(response, 200, { default: await catalog.defaultName(), kernelspecs });
  });

  router.add('GET', '/api/kernelspecs/:name', async ({ params, response }) => {
    const entry = await catalog.get(params.name);
    if (!entry) throw new HttpError(404, `no kernelspec named '${params.name}'`);
    sendJson(response, 200, specModel(entry));
  });

  router.add('GET', '/kernelspecs/:name/:file', async ({ params, response }) => {
    const entry = await catalog.get(params.name);
    if (!entry?.resourceDir || params.file.includes('/') || params.file.startsWith('.')) throw new HttpError(404, `no resource ${params.file} for kernelspec ${params.name}`);
    const bytes = await readFile(path.join(entry.resourceDir, params.file)).catch(() => {
      throw new HttpError(404, `no resource ${params.file} for kernelspec ${params.name}`);
    });
    response.writeHead(200, { 'Content-Type': RESOURCE_TYPES[path.extname(params.file)] ?? 'application/octet-stream' });
    response.end(bytes);
  });

  router.add('GET', '/api/kernels', async ({ response }) => sendJson(response, 200, kernels.list()));

  router.add('POST', '/api/kernels', async ({ request, response }) => {
    const body = await readJson(request, bodyLimit);
    const model = await kernels.start(typeof body.name === 'string' ? body.name : undefined);
    sendJson(response, 201, model, { Location: `/api/kernels/${model.id}` });
  });

  router.add('GET', '/api/kernels/:id', async ({ params, response }) => sendJson(response, 200, kernels.get(params.id)));

  router.add('DELETE', '/api/kernels/:id', async ({ params, response }) => {
    await kernels.shutdown(params.id);
    sendEmpty(response);
  });

  router.add('POST', '/api/kernels/:id/interrupt', async ({ params, response }) => {
    await kernels.interrupt(params.id);
    sendEmpty(response);
  });

  router.add('POST', '/api/kernels/:id/restart', async ({ params, response }) => {
    sendJson(response, 200, await kernels.restart(params.id));
  });
}
