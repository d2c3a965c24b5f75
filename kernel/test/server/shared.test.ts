/** The shared space through the API: publish from one server, list, open read-only, fork and unpublish on another. */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuireServer, type RunningQuireServer } from '../../src/server/quire-server.js';
import { startS3rver, type S3Fixture } from '@quire/engine/testing';
import { notebook } from './test-notebooks.js';

let s3: S3Fixture;
const servers: Array<{ server: RunningQuireServer; root: string }> = [];

beforeAll(async () => {
  s3 = await startS3rver('notebooks');
});
afterAll(async () => {
  for (const { server, root } of servers) {
    await server.close();
    await rm(root, { recursive: true, force: true });
  }
  await s3?.stop();
});

async function serve(author: string) {
  const root = await mkdtemp(path.join(os.tmpdir(), 'quire-shared-'));
  const server = await startQuireServer({ root, port: 0, token: 't', log: () => undefined, settings: { shared: `s3://${s3.bucket}/team`, author }, s3Env: s3.env });
  servers.push({ server, root });
  const api = async (p: string, body?: unknown, method = body ? 'POST' : 'GET') => {
    const response = await fetch(`${server.url}${p}`, { method, headers: { Authorization: 'token t', 'Content-Type': 'application/json' }, body: body ? JSON.stringify(body) : undefined });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };
  return { root, api };
}

describe('shared space', () => {
  it('publishes with author and time, lists, opens read-only and forks', async () => {
    const alice = await serve('alice');
    const bob = await serve('bob');
    await writeFile(path.join(alice.root, 'churn.ipynb'), JSON.stringify(notebook('churn = 0.1')));
    const published = await alice.api('api/quire/shared/publish', { path: 'churn.ipynb', as: 'analyses/churn.ipynb' });
    expect(published.status).toBe(201);
    expect(published.body).toMatchObject({ path: 'analyses/churn.ipynb', author: 'alice' });

    const listed = await bob.api('api/quire/shared');
    expect((listed.body.notebooks as Array<{ path: string }>).map((n) => n.path)).toEqual(['analyses/churn.ipynb']);

    const opened = await bob.api('api/quire/shared/notebooks/analyses/churn.ipynb');
    expect(opened.body.writable).toBe(false);
    const content = opened.body.content as { cells: Array<{ source: string }>; metadata: { quire: { published: { author: string; at: string } } } };
    expect(content.cells[0].source).toBe('churn = 0.1');
    expect(content.metadata.quire.published.author).toBe('alice');
    expect(Date.parse(content.metadata.quire.published.at)).not.toBeNaN();

    const forked = await bob.api('api/quire/shared/fork', { path: 'analyses/churn.ipynb', to: 'mine/churn.ipynb' });
    expect(forked.status).toBe(201);
    const local = JSON.parse(await readFile(path.join(bob.root, 'mine', 'churn.ipynb'), 'utf8'));
    expect(local.cells[0].source).toBe('churn = 0.1');
    expect(local.metadata.quire.forkedFrom.shared).toBe('analyses/churn.ipynb');
    expect((await bob.api('api/quire/shared/fork', { path: 'analyses/churn.ipynb', to: 'mine/churn.ipynb' })).status).toBe(409);
    expect((await bob.api('api/quire/shared/notebooks/nope.ipynb')).status).toBe(404);
  });

  it('unpublishes: gone from the listing, the removed copy kept under .history/, clear refusals', async () => {
    const alice = await serve('alice');
    const bob = await serve('bob');
    await writeFile(path.join(alice.root, 'q3.ipynb'), JSON.stringify(notebook('revenue = 3')));
    await writeFile(path.join(alice.root, 'q4.ipynb'), JSON.stringify(notebook('revenue = 4')));
    expect((await alice.api('api/quire/shared/publish', { path: 'q3.ipynb', as: 'finance/q3.ipynb' })).status).toBe(201);
    expect((await alice.api('api/quire/shared/publish', { path: 'q4.ipynb', as: 'finance/q4.ipynb' })).status).toBe(201);
    const published = await s3.text('team/finance/q3.ipynb');
    const historyOf = async (p: string) => s3.keys(`team/.history/${p}/`);
    const before = await historyOf('finance/q3.ipynb');

    const removed = await bob.api('api/quire/shared/notebooks/finance/q3.ipynb', undefined, 'DELETE');
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ path: 'finance/q3.ipynb' });
    const paths = async () => ((await alice.api('api/quire/shared')).body.notebooks as Array<{ path: string }>).map((n) => n.path);
    expect(await paths()).not.toContain('finance/q3.ipynb');
    expect(await paths()).toContain('finance/q4.ipynb');
    expect(await s3.keys('team/finance/q3.ipynb')).toEqual([]);
    const kept = (await historyOf('finance/q3.ipynb')).filter((key) => !before.includes(key));
    expect(kept).toHaveLength(1);
    expect(removed.body.keptAs).toBe(`s3://${s3.bucket}/${kept[0]}`);
    expect(await s3.text(kept[0]!)).toBe(published);

    const again = await bob.api('api/quire/shared/notebooks/finance/q3.ipynb', undefined, 'DELETE');
    expect(again.status).toBe(404);
    expect(again.body.message).toContain('no shared notebook finance/q3.ipynb');
    expect((await bob.api('api/quire/shared/notebooks/finance/q3.ipynb')).status).toBe(404);

    const escaping = await bob.api('api/quire/shared/notebooks/..%2Fsecrets.ipynb', undefined, 'DELETE');
    expect(escaping.status).toBe(403);
    expect(escaping.body.message).toContain('leaves the root');
    const ownCopy = await bob.api(`api/quire/shared/notebooks/${kept[0]!.slice('team/'.length)}`, undefined, 'DELETE');
    expect(ownCopy.status).toBe(400);
    expect(ownCopy.body.message).toContain("starting with '.'");
    expect(await historyOf('finance/q3.ipynb')).toContain(kept[0]);
    expect((await bob.api('api/quire/shared/notebooks/finance', undefined, 'DELETE')).status).toBe(400);
    expect(await paths()).toContain('finance/q4.ipynb');
  });

  it('says how to configure what is missing', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'quire-shared-'));
    const server = await startQuireServer({ root, port: 0, token: 't', log: () => undefined, settings: {} });
    servers.push({ server, root });
    const response = await fetch(`${server.url}api/quire/history/a.ipynb`, { headers: { Authorization: 'token t' } });
    expect(response.status).toBe(409);
    expect(((await response.json()) as { message: string }).message).toContain('--backup s3://BUCKET/PREFIX');
  });
});
