/** The engine's cluster behind quire serve: its API proxied under the server's token, its URL given to kernels. */
import { KernelManager, type KernelMessage } from '@jupyterlab/services';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Session, startCluster } from '@quire/engine';
import { startQuireServer, type RunningQuireServer } from '../../src/server/quire-server.js';
import { settingsFor } from './helpers.js';

let cluster: Awaited<ReturnType<typeof startCluster>>;
let server: RunningQuireServer;
let root: string;
const logged: string[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'quire-cluster-proxy-'));
  cluster = await startCluster({ workers: 1, scratchDir: path.join(root, '.scratch') });
  server = await startQuireServer({ root, port: 0, token: 't', log: (line) => logged.push(line), settings: {}, clusterUrl: cluster.url });
});
afterAll(async () => {
  await server?.close();
  await cluster?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('cluster proxy', () => {
  it('relays /api/cluster and /api/cluster/jobs with the server token, never asking the client for the cluster token', async () => {
    const status = await fetch(`${server.url}api/cluster`, { headers: { Authorization: 'token t' } });
    expect(status.status).toBe(200);
    const body = (await status.json()) as { workers: unknown[] };
    expect(body.workers).toHaveLength(1);
    const jobs = await fetch(`${server.url}api/cluster/jobs?token=t`);
    expect(jobs.status).toBe(200);
    expect(Array.isArray(((await jobs.json()) as { jobs: unknown }).jobs)).toBe(true);
    expect((await fetch(`${server.url}api/cluster`)).status).toBe(403);
  });

  it('never shows the cluster token: the status the master reports is redacted', async () => {
    const clusterToken = new URL(cluster.url).searchParams.get('token')!;
    expect(clusterToken.length).toBeGreaterThan(8);
    const text = await (await fetch(`${server.url}api/cluster?token=t`)).text();
    expect(text).not.toContain(clusterToken);
    expect((JSON.parse(text) as { url: string }).url).toMatch(/[?&]token=\*\*\*$/);
  });

  it('streams the cluster events live (not buffered to the end), under the server token', async () => {
    expect((await fetch(`${server.url}api/cluster/events`)).status).toBe(403);
    const controller = new AbortController();
    const events = await fetch(`${server.url}api/cluster/events?token=t`, { signal: controller.signal });
    expect(events.status).toBe(200);
    expect(events.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = events.body!.getReader();
    // The master opens every stream with a comment; it arrives while the stream is still open.
    const first = await Promise.race([
      reader.read(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no event-stream data within 10 s')), 10_000)),
    ]);
    expect(new TextDecoder().decode(first.value)).toContain(': connected');
    // A job run on the cluster shows up on the stream while it is still open: its progress is live.
    const session = await Session.start({ cluster: cluster.url, scratchDir: path.join(root, '.session') });
    let seen = '';
    try {
      await (await session.sql('SELECT 41 + 1 AS answer')).collect();
      const deadline = Date.now() + 15_000;
      while (!/event: job\ndata: .*"progress"/.test(seen)) {
        const next = await Promise.race([reader.read(), new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no job event within 15 s; got ${seen}`)), deadline - Date.now()))]);
        seen += new TextDecoder().decode(next.value);
      }
    } finally {
      await session.stop();
    }
    controller.abort();
    await reader.cancel().catch(() => undefined);
    // The server keeps relaying after a client hung up on a stream.
    expect((await fetch(`${server.url}api/cluster/jobs?token=t`)).status).toBe(200);
    // A client hanging up is the normal end of an event stream, not a server error.
    expect(logged.filter((line) => line.includes('/api/cluster/events'))).toEqual([]);
  });

  it('gives kernels the cluster URL in QUIRE_CLUSTER', async () => {
    const manager = new KernelManager({ serverSettings: settingsFor(server.url, 't') });
    const kernel = await manager.startNew({ name: 'python3' });
    try {
      let printed = '';
      const future = kernel.requestExecute({ code: "import os; print(os.environ['QUIRE_CLUSTER'])" });
      future.onIOPub = (msg) => {
        if (msg.header.msg_type === 'stream') printed += (msg as KernelMessage.IStreamMsg).content.text;
      };
      await future.done;
      expect(printed.trim()).toBe(cluster.url);
    } finally {
      await kernel.shutdown();
      manager.dispose();
    }
  });
});
