/** Refusals that keep the server serving: tokens, paths out of the root, oversized bodies, bad notebooks, malformed kernel messages. */
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers.js';
import { notebook } from './test-notebooks.js';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer({ maxBodyBytes: 64 * 1024 });
});
afterAll(async () => {
  await t?.stop();
});

const api = (p: string, init: RequestInit = {}, token: string | null = 'test-token') =>
  fetch(`${t.server.url}${p}`, { ...init, headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `token ${token}` } : {}) } });

async function stillServes(): Promise<void> {
  expect((await api('api/status')).status).toBe(200);
}

describe('security', () => {
  it('refuses requests without the right token (403), in header, query and WebSocket upgrade', async () => {
    expect((await api('api/contents', {}, null)).status).toBe(403);
    expect((await api('api/contents', {}, 'wrong')).status).toBe(403);
    expect((await fetch(`${t.server.url}api/kernels?token=nope`)).status).toBe(403);
    expect((await fetch(`${t.server.url}api/kernels?token=test-token`)).status).toBe(200);
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${t.server.url.replace('http', 'ws')}api/kernels/any/channels?token=wrong`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(refused).toBe(403);
    await stillServes();
  });

  it('confines contents to the root: .., absolute paths and symlinks out are refused', async () => {
    const outside = path.join(os.tmpdir(), `quire-outside-${process.pid}`);
    await mkdir(outside, { recursive: true });
    await writeFile(path.join(outside, 'secret.txt'), 'secret');
    await symlink(outside, path.join(t.root, 'escape'));
    for (const p of ['api/contents/..%2F..%2Fetc%2Fpasswd', 'api/contents/%2Fetc%2Fpasswd', 'api/contents/sub%2F..%2F..%2Fx', 'api/contents/escape/secret.txt', 'api/contents/escape']) {
      const response = await api(p);
      expect(response.status, p).toBe(403);
    }
    const write = await api('api/contents/escape/new.txt', { method: 'PUT', body: JSON.stringify({ type: 'file', format: 'text', content: 'x' }) });
    expect(write.status).toBe(403);
    const rename = await api('api/contents/ok.txt', { method: 'PATCH', body: JSON.stringify({ path: '../moved.txt' }) });
    expect(rename.status).toBe(403);
    expect((await api('api/contents/.quire/backup/state.json')).status).toBe(403);
    const session = await api('api/sessions', { method: 'POST', body: JSON.stringify({ path: '../../outside.ipynb', type: 'notebook', kernel: { name: 'python3' } }) });
    expect(session.status).toBe(403);
    const listing = (await (await api('api/contents')).json()) as { content: Array<{ name: string }> };
    expect(listing.content.map((m) => m.name)).not.toContain('escape');
    await stillServes();
  });

  it('serves the UI only with the token, remembering it in an HTTP-only cookie', async () => {
    await writeFile(path.join(t.root, 'index.html'), '<!doctype html><title>Quire</title>');
    const ui = await startTestServer({ staticDir: t.root });
    try {
      expect((await fetch(ui.server.url)).status).toBe(403);
      const first = await fetch(`${ui.server.url}?token=test-token`);
      expect(first.status).toBe(200);
      expect(await first.text()).toContain('<title>Quire</title>');
      const cookie = first.headers.get('set-cookie') ?? '';
      expect(cookie).toMatch(/HttpOnly/);
      const again = await fetch(`${ui.server.url}some/route`, { headers: { cookie: cookie.split(';')[0] } });
      expect(again.status).toBe(200);
      expect((await fetch(`${ui.server.url}..%2F..%2Fetc%2Fpasswd?token=test-token`)).status).toBe(403);
    } finally {
      await ui.stop();
    }
  });

  it('refuses oversized bodies with 413', async () => {
    const big = JSON.stringify({ type: 'file', format: 'text', content: 'x'.repeat(200 * 1024) });
    const response = await api('api/contents/big.txt', { method: 'PUT', body: big });
    expect(response.status).toBe(413);
    expect((await api('api/contents/big.txt')).status).toBe(404);
    await stillServes();
  });

  it('refuses an invalid notebook with 400 saying why, leaving the good file untouched', async () => {
    const good = notebook('print(1)');
    expect((await api('api/contents/good.ipynb', { method: 'PUT', body: JSON.stringify({ type: 'notebook', format: 'json', content: good }) })).status).toBe(201);
    const before = await readFile(path.join(t.root, 'good.ipynb'), 'utf8');
    const bad = { ...good, cells: [{ id: 'c1', cell_type: 'code', metadata: {}, source: 'x', outputs: [{ output_type: 'stream', name: 'stdweird', text: 1 }] }] };
    const response = await api('api/contents/good.ipynb', { method: 'PUT', body: JSON.stringify({ type: 'notebook', format: 'json', content: bad }) });
    expect(response.status).toBe(400);
    const { message } = (await response.json()) as { message: string };
    expect(message).toContain("cells[0]: missing required 'execution_count'");
    expect(message).toContain("cells[0].outputs[0].name: must be 'stdout' or 'stderr'");
    expect(await readFile(path.join(t.root, 'good.ipynb'), 'utf8')).toBe(before);
  });

  it('opens a broken notebook file with a clear error, never as an empty notebook', async () => {
    await writeFile(path.join(t.root, 'broken.ipynb'), '{"cells": [');
    const response = await api('api/contents/broken.ipynb');
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(/broken\.ipynb is not valid JSON/);
    await writeFile(path.join(t.root, 'wrongshape.ipynb'), JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'chart' }] }));
    const shape = await api('api/contents/wrongshape.ipynb');
    expect(shape.status).toBe(400);
    expect(((await shape.json()) as { message: string }).message).toContain("cells[0].cell_type: must be 'code', 'markdown' or 'raw'");
  });

  it('logs and drops malformed kernel messages, and the kernel keeps answering', async () => {
    const kernel = (await (await api('api/kernels', { method: 'POST', body: JSON.stringify({ name: 'python3' }) })).json()) as { id: string };
    try {
      for (const protocol of ['v1.kernel.websocket.jupyter.org', undefined]) {
        const ws = new WebSocket(`${t.server.url.replace('http', 'ws')}api/kernels/${kernel.id}/channels?token=test-token`, protocol ? [protocol] : []);
        await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
        const replies: string[] = [];
        ws.on('message', (data, isBinary) => {
          if (!isBinary) replies.push(JSON.parse(String(data)).header.msg_type);
          else replies.push('binary');
        });
        ws.send(Buffer.from([1, 2, 3]));
        ws.send(Buffer.alloc(64, 0xff));
        ws.send('{not json');
        ws.send(JSON.stringify({ channel: 'iopub', header: { msg_id: 'x', msg_type: 'status' }, content: {} }));
        ws.send(JSON.stringify({ channel: 'shell', header: 'nope', content: {} }));
        // A good message after the bad ones is still answered.
        const good = { channel: 'shell', header: { msg_id: `ok-${protocol}`, msg_type: 'kernel_info_request', session: 's', username: 'u', version: '5.3', date: new Date().toISOString() }, parent_header: {}, metadata: {}, content: {} };
        if (protocol) {
          const { serialize } = await import('@jupyterlab/services/lib/kernel/serialize.js');
          ws.send(Buffer.from(serialize(good as never, protocol) as ArrayBuffer));
        } else {
          ws.send(JSON.stringify(good));
        }
        await expect.poll(() => replies.length, { timeout: 15_000 }).toBeGreaterThan(0);
        ws.close();
      }
      expect(t.logs.filter((line) => line.includes('refused a malformed message')).length).toBeGreaterThanOrEqual(8);
    } finally {
      await api(`api/kernels/${kernel.id}`, { method: 'DELETE' });
    }
    await stillServes();
  });
});
