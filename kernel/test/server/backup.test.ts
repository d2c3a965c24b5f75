/** Backups to a real s3rver: layout readable by the aws CLI, history/diff/restore, outages, restarts and conflicts. */
import { ContentsManager, ServerConnection } from '@jupyterlab/services';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startQuireServer, type RunningQuireServer } from '../../src/server/quire-server.js';
import { startS3rver, type S3Fixture } from '@quire/engine/testing';
import { eventually, notebook } from './test-notebooks.js';

const run = promisify(execFile);
let s3: S3Fixture;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  s3 = await startS3rver('notebooks');
});
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  await s3?.stop();
});

async function serve(prefix: string, root?: string): Promise<{ server: RunningQuireServer; root: string; contents: ContentsManager; api: (path: string, init?: RequestInit) => Promise<Response> }> {
  const dir = root ?? (await mkdtemp(path.join(os.tmpdir(), 'quire-backup-test-')));
  const server = await startQuireServer({
    root: dir,
    port: 0,
    token: 't',
    log: () => undefined,
    settings: { backup: `s3://${s3.bucket}/${prefix}` },
    s3Env: s3.env,
    backupTiming: { debounceMs: 50, backoffMs: 100, maxBackoffMs: 400 },
  });
  let closed = false;
  const closeServer = server.close.bind(server);
  const close = async () => {
    if (!closed) await closeServer();
    closed = true;
  };
  server.close = close;
  cleanups.push(async () => {
    await close();
    if (!root) await rm(dir, { recursive: true, force: true });
  });
  const settings = ServerConnection.makeSettings({ baseUrl: server.url, token: 't' });
  const api = (p: string, init: RequestInit = {}) => fetch(`${server.url}${p}`, { ...init, headers: { Authorization: 'token t', 'Content-Type': 'application/json' } });
  return { server, root: dir, contents: new ContentsManager({ serverSettings: settings }), api };
}

async function backupState(api: (p: string) => Promise<Response>, nbPath: string): Promise<Record<string, unknown> | undefined> {
  const body = (await (await api('api/quire/backup')).json()) as { notebooks: Record<string, Record<string, unknown>> };
  return body.notebooks[nbPath];
}

describe('S3 backup', () => {
  it('uploads each save with history, readable by the aws CLI, and lists, diffs and restores versions', async () => {
    const { contents, api, root } = await serve('alice');
    await contents.save('report.ipynb', { type: 'notebook', format: 'json', content: notebook('x = 1') });
    await eventually(async () => (await backupState(api, 'report.ipynb'))?.status === 'synced', 20_000, 'first sync');
    await contents.save('report.ipynb', { type: 'notebook', format: 'json', content: notebook('x = 2') });
    await eventually(async () => (await s3.keys('alice/.history/report.ipynb/')).length === 2, 20_000, 'second history version');
    await eventually(async () => (await backupState(api, 'report.ipynb'))?.status === 'synced');
    expect(JSON.parse(await s3.text('alice/report.ipynb')).cells[0].source).toBe('x = 2');

    const env = { ...process.env, ...s3.env };
    const listing = await run('/usr/bin/aws', ['--endpoint-url', s3.env.AWS_ENDPOINT_URL_S3!, 's3', 'ls', '--recursive', `s3://${s3.bucket}/alice/`], { env });
    expect(listing.stdout).toContain('alice/report.ipynb');
    expect(listing.stdout.match(/alice\/\.history\/report\.ipynb\/\d{8}T\d{9}Z-[0-9a-f]{16}\.ipynb/g)).toHaveLength(2);
    const downloaded = path.join(root, 'downloaded.json');
    await run('/usr/bin/aws', ['--endpoint-url', s3.env.AWS_ENDPOINT_URL_S3!, 's3', 'cp', `s3://${s3.bucket}/alice/report.ipynb`, downloaded], { env });
    expect(JSON.parse(await readFile(downloaded, 'utf8')).cells[0].source).toBe('x = 2');

    const { versions } = (await (await api('api/quire/history/report.ipynb')).json()) as { versions: Array<{ id: string }> };
    expect(versions).toHaveLength(2);
    const diff = (await (await api(`api/quire/diff/report.ipynb?from=${versions[0].id}&to=${versions[1].id}`)).json()) as { cells: Array<{ change: string; before: string; after: string }> };
    expect(diff.cells).toEqual([expect.objectContaining({ change: 'modified', before: 'x = 1', after: 'x = 2' })]);
    const shown = (await (await api(`api/quire/history/report.ipynb?version=${versions[0].id}`)).json()) as { content: { cells: Array<{ source: string }> } };
    expect(shown.content.cells[0].source).toBe('x = 1');

    const restored = await api('api/quire/restore/report.ipynb', { method: 'POST', body: JSON.stringify({ version: versions[0].id }) });
    expect(restored.status).toBe(200);
    expect(JSON.parse(await readFile(path.join(root, 'report.ipynb'), 'utf8')).cells[0].source).toBe('x = 1');
    // The content it replaced became a version, and the restore itself is backed up as a save.
    await eventually(async () => (await backupState(api, 'report.ipynb'))?.status === 'synced' && JSON.parse(await s3.text('alice/report.ipynb')).cells[0].source === 'x = 1');
    const after = (await (await api('api/quire/history/report.ipynb')).json()) as { versions: unknown[] };
    expect(after.versions.length).toBeGreaterThanOrEqual(3);
  });

  it('keeps saving while S3 is down, queues on disk across a server restart, and delivers every save', async () => {
    const first = await serve('outage');
    await s3.pause();
    try {
      for (const source of ['v = 1', 'v = 2', 'v = 3']) {
        const started = Date.now();
        await first.contents.save('queued.ipynb', { type: 'notebook', format: 'json', content: notebook(source) });
        expect(Date.now() - started).toBeLessThan(2000);
        await new Promise((resolve) => setTimeout(resolve, 120));
      }
      await eventually(async () => (await backupState(first.api, 'queued.ipynb'))?.status === 'failing', 20_000, 'failing state');
      const failing = await backupState(first.api, 'queued.ipynb');
      expect(String(failing?.error)).not.toBe('');
      expect(failing?.queued).toBe(3);
      await first.server.close();
    } finally {
      await s3.resume();
    }
    const second = await serve('outage', first.root);
    await eventually(async () => (await backupState(second.api, 'queued.ipynb'))?.status === 'synced' && (await backupState(second.api, 'queued.ipynb'))?.queued === 0, 30_000, 'queue drained after restart');
    const history = await s3.keys('outage/.history/queued.ipynb/');
    const sources = await Promise.all(history.map(async (key) => JSON.parse(await s3.text(key)).cells[0].source));
    expect(sources).toEqual(['v = 1', 'v = 2', 'v = 3']);
    expect(JSON.parse(await s3.text('outage/queued.ipynb')).cells[0].source).toBe('v = 3');
  });

  it('survives S3 stopping in the middle of uploads: every save arrives once it is back', async () => {
    const { contents, api } = await serve('midflight');
    const padding = 'y'.repeat(512 * 1024);
    const saves = ['a', 'b', 'c', 'd'].map((tag) => `${tag} = 1 # ${padding}`);
    await contents.save('big.ipynb', { type: 'notebook', format: 'json', content: notebook(saves[0]) });
    // Let the first upload start, then pull S3 away under it while more saves come in.
    await new Promise((resolve) => setTimeout(resolve, 70));
    const stopping = s3.pause();
    for (const source of saves.slice(1)) {
      await contents.save('big.ipynb', { type: 'notebook', format: 'json', content: notebook(source) });
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    await stopping;
    await new Promise((resolve) => setTimeout(resolve, 300));
    await s3.resume();
    await eventually(async () => {
      const state = await backupState(api, 'big.ipynb');
      return state?.status === 'synced' && state.queued === 0;
    }, 30_000, 'all saves uploaded');
    const history = await Promise.all((await s3.keys('midflight/.history/big.ipynb/')).map(async (key) => JSON.parse(await s3.text(key)).cells[0].source));
    expect(history).toEqual(saves);
    expect(JSON.parse(await s3.text('midflight/big.ipynb')).cells[0].source).toBe(saves[3]);
  });

  it('never overwrites a notebook another machine changed: both versions survive and the conflict is reported', async () => {
    const alice = await serve('team');
    const bob = await serve('team');
    await alice.contents.save('shared.ipynb', { type: 'notebook', format: 'json', content: notebook('alice = 1') });
    await eventually(async () => (await backupState(alice.api, 'shared.ipynb'))?.status === 'synced');
    await bob.contents.save('shared.ipynb', { type: 'notebook', format: 'json', content: notebook('bob = 1') });
    await eventually(async () => (await backupState(bob.api, 'shared.ipynb'))?.status === 'conflict', 20_000, 'conflict');
    const state = await backupState(bob.api, 'shared.ipynb');
    expect(JSON.parse(await s3.text('team/shared.ipynb')).cells[0].source).toBe('alice = 1');
    expect(String(state?.conflictKey)).toMatch(/^team\/shared\.conflict-.+-\d{8}T\d{9}Z\.ipynb$/);
    expect(JSON.parse(await s3.text(String(state?.conflictKey))).cells[0].source).toBe('bob = 1');
    const history = await Promise.all((await s3.keys('team/.history/shared.ipynb/')).map(async (key) => JSON.parse(await s3.text(key)).cells[0].source));
    expect(history.sort()).toEqual(['alice = 1', 'bob = 1']);

    // Bob takes the remote object as the synced one; his next save then updates it normally.
    const accepted = await bob.api('api/quire/backup/accept', { method: 'POST', body: JSON.stringify({ path: 'shared.ipynb' }) });
    expect(((await accepted.json()) as { status: string }).status).toBe('synced');
    await bob.contents.save('shared.ipynb', { type: 'notebook', format: 'json', content: notebook('alice = 1\nbob = 2') });
    await eventually(async () => (await backupState(bob.api, 'shared.ipynb'))?.status === 'synced' && JSON.parse(await s3.text('team/shared.ipynb')).cells[0].source === 'alice = 1\nbob = 2');
  });
  it('keeps one conflict copy however often the notebook is saved during the conflict, and resolves it keeping ours', async () => {
    const alice = await serve('keep');
    const bob = await serve('keep');
    await alice.contents.save('n.ipynb', { type: 'notebook', format: 'json', content: notebook('alice = 1') });
    await eventually(async () => (await backupState(alice.api, 'n.ipynb'))?.status === 'synced');
    for (const source of ['bob = 1', 'bob = 2', 'bob = 3']) {
      await bob.contents.save('n.ipynb', { type: 'notebook', format: 'json', content: notebook(source) });
      // The save is queued after its reply: wait for this very version to reach the conflict copy.
      await eventually(async () => {
        const state = await backupState(bob.api, 'n.ipynb');
        if (state?.status !== 'conflict' || state.queued !== 0) return false;
        return JSON.parse(await s3.text(String(state.conflictKey))).cells[0].source === source;
      }, 20_000, `conflict copy holding ${source}`);
    }
    const copies = (await s3.keys('keep/')).filter((key) => key.includes('.conflict-'));
    expect(copies).toHaveLength(1);
    expect(JSON.parse(await s3.text(copies[0]!)).cells[0].source).toBe('bob = 3');

    const resolve = (body: unknown) => bob.api('api/quire/backup/resolve', { method: 'POST', body: JSON.stringify(body) });
    const bad = await resolve({ path: 'n.ipynb', keep: 'mine' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toContain(`"keep" must be 'ours' or 'theirs'`);
    const resolved = await resolve({ path: 'n.ipynb', keep: 'ours' });
    expect(resolved.status).toBe(200);
    expect(((await resolved.json()) as { status: string }).status).toBe('synced');
    expect(JSON.parse(await s3.text('keep/n.ipynb')).cells[0].source).toBe('bob = 3');
    expect((await s3.keys('keep/')).filter((key) => key.includes('.conflict-'))).toEqual([]);
    expect((await resolve({ path: 'n.ipynb', keep: 'ours' })).status).toBe(409);
    // Alice now conflicts in turn, and may take Bob's version.
    await alice.contents.save('n.ipynb', { type: 'notebook', format: 'json', content: notebook('alice = 2') });
    await eventually(async () => (await backupState(alice.api, 'n.ipynb'))?.status === 'conflict', 20_000, 'alice conflicts');
    const theirs = await alice.api('api/quire/backup/resolve', { method: 'POST', body: JSON.stringify({ path: 'n.ipynb', keep: 'theirs' }) });
    expect(((await theirs.json()) as { status: string }).status).toBe('synced');
  });
});
