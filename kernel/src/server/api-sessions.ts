/** `/api/sessions`: a session ties a notebook path to a kernel, and ends that kernel when deleted. */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { RootedPaths, normalizeApiPath } from '../storage/safe-path.js';
import { HttpError } from './http-error.js';
import { readJson, sendEmpty, sendJson } from './http-kit.js';
import type { KernelRegistry } from './kernel-registry.js';
import type { Router } from './router.js';

interface Session {
  id: string;
  path: string;
  name: string;
  type: string;
  kernelId: string;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly kernels: KernelRegistry,
    private readonly paths: RootedPaths,
  ) {}

  model(session: Session): Record<string, unknown> {
    return { id: session.id, path: session.path, name: session.name, type: session.type, kernel: this.kernels.get(session.kernelId), notebook: { path: session.path, name: session.name } };
  }

  /** Sessions whose kernel was shut down behind their back are dropped. */
  list(): Record<string, unknown>[] {
    for (const [id, session] of this.sessions) if (!this.kernels.has(session.kernelId)) this.sessions.delete(id);
    return [...this.sessions.values()].map((session) => this.model(session));
  }

  find(id: string): Session {
    const session = this.sessions.get(id);
    if (!session || !this.kernels.has(session.kernelId)) throw new HttpError(404, `no session with id ${id}`);
    return session;
  }

  private async kernelFor(kernel: unknown, sessionPath: string): Promise<string> {
    const spec = (kernel ?? {}) as { id?: unknown; name?: unknown };
    if (typeof spec.id === 'string' && spec.id) {
      this.kernels.get(spec.id);
      return spec.id;
    }
    // JPY_SESSION_NAME is how Jupyter Server tells a kernel which notebook it serves; the quire kernel makes it
    // the owner of its cluster jobs. Like Jupyter's, it stays what it was at start when the notebook is renamed.
    const placement = { cwd: await this.kernelCwd(sessionPath), env: { JPY_SESSION_NAME: sessionPath } };
    return (await this.kernels.start(typeof spec.name === 'string' ? spec.name : undefined, placement)).id;
  }

  /** The notebook's folder when it exists inside the root (the path is checked like any contents path), else the root. */
  private async kernelCwd(sessionPath: string): Promise<string> {
    const folder = path.posix.dirname(normalizeApiPath(sessionPath));
    const dir = await this.paths.resolve(folder === '.' ? '' : folder);
    return (await stat(dir).then((s) => s.isDirectory(), () => false)) ? dir : this.paths.root;
  }

  async create(body: Record<string, unknown>): Promise<Record<string, unknown>> {
    if (typeof body.path !== 'string') throw new HttpError(400, 'a session needs a string "path"');
    const type = typeof body.type === 'string' ? body.type : 'notebook';
    const existing = [...this.sessions.values()].find((s) => s.path === body.path && s.type === type && this.kernels.has(s.kernelId));
    if (existing) return this.model(existing);
    const session: Session = { id: randomUUID(), path: body.path, name: typeof body.name === 'string' ? body.name : '', type, kernelId: await this.kernelFor(body.kernel, body.path) };
    this.sessions.set(session.id, session);
    return this.model(session);
  }

  async update(id: string, body: Record<string, unknown>): Promise<Record<string, unknown>> {
    const session = this.find(id);
    if (typeof body.path === 'string') session.path = body.path;
    if (typeof body.name === 'string') session.name = body.name;
    if (typeof body.type === 'string') session.type = body.type;
    if (body.kernel) {
      const previous = session.kernelId;
      session.kernelId = await this.kernelFor(body.kernel, session.path);
      const stillUsed = [...this.sessions.values()].some((s) => s.kernelId === previous);
      if (previous !== session.kernelId && !stillUsed && this.kernels.has(previous)) await this.kernels.shutdown(previous);
    }
    return this.model(session);
  }

  async delete(id: string): Promise<void> {
    const session = this.find(id);
    this.sessions.delete(id);
    if (this.kernels.has(session.kernelId)) await this.kernels.shutdown(session.kernelId);
  }
}

export function addSessionRoutes(router: Router, sessions: SessionRegistry, bodyLimit: number): void {
  router.add('GET', '/api/sessions', async ({ response }) => sendJson(response, 200, sessions.list()));
  router.add('POST', '/api/sessions', async ({ request, response }) => {
    const model = await sessions.create(await readJson(request, bodyLimit));
    sendJson(response, 201, model, { Location: `/api/sessions/${String(model.id)}` });
  });
  router.add('GET', '/api/sessions/:id', async ({ params, response }) => sendJson(response, 200, sessions.model(sessions.find(params.id))));
  router.add('PATCH', '/api/sessions/:id', async ({ request, params, response }) => {
    sendJson(response, 200, await sessions.update(params.id, await readJson(request, bodyLimit)));
  });
  router.add('DELETE', '/api/sessions/:id', async ({ params, response }) => {
    await sessions.delete(params.id);
    sendEmpty(response);
  });
}
