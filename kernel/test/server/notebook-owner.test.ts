/**
 * Each notebook's kernel owns its cluster jobs: quire serve names the notebook to the kernel it starts
 * (JPY_SESSION_NAME), the kernel gives that to its Session, and the master files every job under it, so
 * fair sharing and the cluster panel see one owner per notebook.
 */
import { KernelManager, SessionManager, type Session } from '@jupyterlab/services';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster } from '@quire/engine';
import { startQuireServer, type RunningQuireServer } from '../../src/server/quire-server.js';
import { settingsFor } from './helpers.js';

let cluster: Awaited<ReturnType<typeof startCluster>>;
let server: RunningQuireServer;
let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'quire-notebook-owner-'));
  await mkdir(path.join(root, 'team'));
  cluster = await startCluster({ workers: 1, scratchDir: path.join(os.tmpdir(), `${path.basename(root)}-cluster`) });
  server = await startQuireServer({ root, port: 0, token: 't', log: () => undefined, settings: {}, clusterUrl: cluster.url });
});
afterAll(async () => {
  await server?.close();
  await cluster?.stop();
  await rm(root, { recursive: true, force: true });
});

interface JobSummary {
  jobId: string;
  owner: string;
  description: string;
}

async function clusterJobs(): Promise<JobSummary[]> {
  const response = await fetch(`${server.url}api/cluster/jobs?token=t`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { jobs: JobSummary[] }).jobs;
}

async function run(session: Session.ISessionConnection, code: string): Promise<void> {
  const reply = await session.kernel!.requestExecute({ code }).done;
  expect(reply?.content.status, `${code} in ${session.path}`).toBe('ok');
}

describe('notebook ownership of cluster jobs', () => {
  it("files two notebooks' jobs under two owners, each the notebook's path, also after a restart and a rename", async () => {
    const settings = settingsFor(server.url, 't');
    const sessions = new SessionManager({ serverSettings: settings, kernelManager: new KernelManager({ serverSettings: settings }) });
    const opened: Session.ISessionConnection[] = [];
    try {
      for (const notebook of ['team/sales.ipynb', 'costs.ipynb']) {
        opened.push(await sessions.startNew({ path: notebook, name: path.basename(notebook), type: 'notebook', kernel: { name: 'quire' } }));
      }
      const [sales, costs] = opened as [Session.ISessionConnection, Session.ISessionConnection];
      await run(sales, '%%sql\nSELECT 1 AS sales_total');
      await run(costs, 'await spark.range(10).count()');
      await run(sales, 'await spark.range(20).count()');

      // A displayed DataFrame may run more than one job (rows, total count): compare owners, not job counts.
      const first = await clusterJobs();
      expect(new Set(first.map((job) => job.owner))).toEqual(new Set(['team/sales.ipynb', 'costs.ipynb']));
      expect(first.filter((job) => job.owner === 'costs.ipynb').length).toBeGreaterThan(0);
      // Each job is labelled with the cell that ran it (its execution count and first line of code).
      expect(first.filter((job) => job.owner === 'costs.ipynb').map((job) => job.description)).toContainEqual(expect.stringMatching(/^\[1\] await spark\.range\(10\)\.count\(\): /));
      expect(first.filter((job) => job.owner === 'team/sales.ipynb').map((job) => job.description)).toContainEqual(expect.stringMatching(/^\[1\] SELECT 1 AS sales_total: /));
      const seen = new Set(first.map((job) => job.jobId));

      // A restarted kernel serves the same notebook: its jobs keep the owner (and its folder, for imports).
      await sales.kernel!.restart();
      await run(sales, 'await spark.range(5).count()\nif (!process.cwd().endsWith("/team")) throw new Error(`started in ${process.cwd()}`)');
      // A rename does not move the kernel's jobs to another owner: the kernel keeps the name it was started for.
      await costs.setPath('renamed-costs.ipynb');
      await run(costs, 'await spark.range(7).count()');
      const later = (await clusterJobs()).filter((job) => !seen.has(job.jobId));
      expect(later.map((job) => job.owner).sort()).toEqual(['costs.ipynb', 'team/sales.ipynb']);
    } finally {
      for (const session of opened) await session.shutdown();
      sessions.dispose();
    }
  }, 240_000);

  it('a kernel started without a notebook owns its jobs under its own session id', async () => {
    const before = new Set((await clusterJobs()).map((job) => job.jobId));
    const manager = new KernelManager({ serverSettings: settingsFor(server.url, 't') });
    const kernel = await manager.startNew({ name: 'quire' });
    try {
      const reply = await kernel.requestExecute({ code: 'await spark.range(3).count()' }).done;
      expect(reply?.content.status).toBe('ok');
      const fresh = (await clusterJobs()).filter((job) => !before.has(job.jobId));
      expect(fresh).toHaveLength(1);
      expect(fresh[0]!.owner).toMatch(/^kernel [0-9a-f-]{36}$/);
    } finally {
      await kernel.shutdown();
      manager.dispose();
    }
  }, 120_000);
});
