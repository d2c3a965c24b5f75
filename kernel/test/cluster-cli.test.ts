/**
 * `quire cluster` end to end through the real CLI entry point: a detached long-running cluster that
 * outlives `start`, found again through the state file by status, resize and stop, and clear errors
 * when no cluster is running or the recorded one does not answer.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterStatus } from '@quire/engine';

const QUIRE = fileURLToPath(new URL('../bin/quire.mjs', import.meta.url));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

function quire(stateDir: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [QUIRE, 'cluster', ...args], { env: { ...process.env, QUIRE_STATE_DIR: stateDir }, timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function waitFor(what: string, condition: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'quire-cluster-cli-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a cluster started with quire cluster start', () => {
  let stateDir: string;
  let url: string;
  let pids: number[] = [];
  let scratchDir: string;

  beforeAll(() => {
    stateDir = join(root, 'running');
  });
  afterAll(async () => {
    // Whatever happened in the tests, leave nothing running.
    if (existsSync(join(stateDir, 'cluster.json'))) await quire(stateDir, 'stop');
    for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
  });

  it('starts detached and prints its URL with the token as the last line', async () => {
    const started = await quire(stateDir, 'start', '--core', '1', '--task', '1', '--memory-per-worker', '512MB');
    expect(started.stderr).toBe('');
    expect(started.code).toBe(0);
    const lines = started.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^starting a cluster: 1 core \+ 1 task workers, 512MB each/);
    url = lines.at(-1)!;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+$/);
    // The command has exited; the cluster answers with the token and refuses without it.
    const { origin, search } = new URL(url);
    const status = (await (await fetch(`${origin}/api/cluster${search}`)).json()) as ClusterStatus;
    expect(status.workers.length).toBe(2);
    expect((await fetch(`${origin}/api/cluster`)).status).toBe(401);
    const record = JSON.parse(readFileSync(join(stateDir, 'cluster.json'), 'utf8')) as { url: string; hostPid: number; masterPid: number; scratchDir: string };
    expect(lines[1]).toBe(`  scratch ${record.scratchDir} (removed when the cluster stops)`);
    scratchDir = record.scratchDir;
    expect(record.url).toBe(url);
    expect(record.masterPid).toBe(status.masterPid);
    pids = [record.hostPid, status.masterPid, ...status.workers.map((w) => w.pid!)];
    expect(pids.every(alive)).toBe(true);
  }, 120_000);

  it('status shows a table of workers with role, state, pid and running tasks, and no jobs', async () => {
    await waitFor('the workers to be ready', async () => !(await quire(stateDir, 'status')).stdout.includes('starting'));
    const result = await quire(stateDir, 'status');
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(new URL(url).searchParams.get('token')!);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^cluster http:\/\/127\.0\.0\.1:\d+\/\?token=…  master pid \d+  target 1 core \+ 1 task workers/);
    expect(lines).toContain('no jobs');
    const header = lines.findIndex((l) => l.startsWith('WORKER'));
    expect(lines[header]!.split(/\s+/)).toEqual(['WORKER', 'ROLE', 'STATE', 'PID', 'CPU%', 'RSS', 'TASKS', 'ERROR']);
    const rows = lines.slice(header + 1, header + 3).map((l) => l.split(/\s{2,}/));
    expect(rows.map((r) => r[1]).sort()).toEqual(['core', 'task']);
    for (const row of rows) {
      expect(row[2]).toMatch(/^(idle|busy)$/);
      expect(pids).toContain(Number(row[3]));
      expect(row[6]).toBe('0');
    }
    const json = JSON.parse((await quire(stateDir, 'status', '--json')).stdout) as ClusterStatus;
    expect(json.url).toBe(url);
    const byUrl = await quire(join(root, 'elsewhere'), 'status', '--cluster', url);
    expect(byUrl.code).toBe(0);
    expect(byUrl.stdout).toContain('WORKER');
  }, 60_000);

  it('refuses to start a second cluster on the same state file', async () => {
    const again = await quire(stateDir, 'start');
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/a cluster is already running at http:\/\/127\.0\.0\.1:\d+\/\?token=… \(host pid \d+\); stop it with 'quire cluster stop'/);
  });

  it('resize adds task workers that join the cluster', async () => {
    const result = await quire(stateDir, 'resize', '--task', '2');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^target size: 1 core, 2 task workers\nstarting w\d+/);
    await waitFor('two task workers', async () => {
      const status = JSON.parse((await quire(stateDir, 'status', '--json')).stdout) as ClusterStatus;
      pids = [...new Set([...pids, ...status.workers.flatMap((w) => (w.pid ? [w.pid] : []))])];
      return status.workers.filter((w) => w.role === 'task' && (w.state === 'idle' || w.state === 'busy')).length === 2;
    });
    const bad = await quire(stateDir, 'resize', '--core', '0');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--core must be at least 1');
  }, 60_000);

  it('stop ends the host, the master and every worker, and forgets the cluster', async () => {
    const result = await quire(stateDir, 'stop');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/cluster stopped \(\d+ processes ended\)\n$/);
    expect(pids.length).toBeGreaterThanOrEqual(4);
    expect(pids.filter(alive)).toEqual([]);
    expect(existsSync(join(stateDir, 'cluster.json'))).toBe(false);
    expect(existsSync(scratchDir), 'the scratch directory start made').toBe(false);
    const after = await quire(stateDir, 'status');
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('no cluster is running');
  }, 60_000);
});

describe('errors when no cluster is running', () => {
  it('status, resize and stop say that no cluster is running and how to start one', async () => {
    const stateDir = join(root, 'none');
    for (const args of [['status'], ['resize', '--task', '2'], ['stop']]) {
      const result = await quire(stateDir, ...args);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`quire cluster ${args[0]}: no cluster is running (nothing recorded in ${join(stateDir, 'cluster.json')}); start one with 'quire cluster start'`);
    }
  });

  it('a record whose host has exited is removed and reported', async () => {
    const stateDir = join(root, 'stale');
    const exited = await new Promise<number>((resolve) => {
      const child = execFile(process.execPath, ['-e', '0'], () => resolve(child.pid!));
    });
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(join(stateDir, 'cluster.json'), JSON.stringify({ url: 'http://127.0.0.1:9/?token=x', hostPid: exited, masterPid: exited, scratchDir: '/nonexistent', logFile: join(stateDir, 'cluster.log'), startedAt: '' }));
    const result = await quire(stateDir, 'status');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`the one recorded in ${join(stateDir, 'cluster.json')} (host pid ${exited}) has exited; removed its record`);
    expect(existsSync(join(stateDir, 'cluster.json'))).toBe(false);
  });

  it('a cluster that does not answer is named with its log', async () => {
    // A port nobody listens on: bind one, then close it.
    const port = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const result = await quire(join(root, 'none'), 'status', '--cluster', `http://127.0.0.1:${port}/?token=abc`);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`the cluster at http://127\\.0\\.0\\.1:${port}/\\?token=… is not answering`));
  });

  it('bad options are named with the usage', async () => {
    const result = await quire(join(root, 'none'), 'start', '--memory-per-worker', 'lots');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("--memory-per-worker must be a size such as 2GB or 512MB, not 'lots'");
    const unknown = await quire(join(root, 'none'), 'frobnicate');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown subcommand 'frobnicate'; expected start, status, resize, stop\nusage:");
    const noSize = await quire(join(root, 'none'), 'resize');
    expect(noSize.code).toBe(1);
    expect(noSize.stderr).toContain('resize needs --task N and/or --core N');
  });
});
