/**
 * `quire cluster stop`: asks the cluster's owner to stop it (SIGTERM to the host, which stops the
 * master, which stops its workers), then waits until every one of those processes is gone.
 */
import type { ClusterStatus } from '@quire/engine';
import { statusOrExplain, type LocatedCluster } from './locate-cluster.js';
import { isProcessAlive, removeClusterRecord } from './state-file.js';

const GRACEFUL_STOP_MS = 20_000;
const KILLED_EXIT_MS = 3000;
const POLL_MS = 100;

export async function stopCluster(located: LocatedCluster, stateFile: string, out: (line: string) => void): Promise<void> {
  const { record } = located;
  let status: ClusterStatus | undefined;
  try {
    status = await statusOrExplain(located);
  } catch (error) {
    if (!record) throw error;
    out(`${(error as Error).message}; stopping it by its recorded process ids`);
  }
  const workerPids = (status?.workers ?? []).flatMap((w) => (w.pid === undefined || w.state === 'dead' ? [] : [w.pid]));
  const masterPid = status?.masterPid ?? record!.masterPid;
  // The host owns the cluster when we started it; a cluster known only by URL is stopped at its master,
  // whose workers end when their parent does.
  const owner = record?.hostPid ?? masterPid;
  const pids = [...new Set([owner, masterPid, ...workerPids])];
  out(`stopping the cluster: ${record ? `host ${record.hostPid}, ` : ''}master ${masterPid}, ${workerPids.length} workers`);
  signal(owner, 'SIGTERM');
  let alive = await waitForExit(pids, GRACEFUL_STOP_MS);
  if (alive.length > 0) {
    out(`still running after ${GRACEFUL_STOP_MS / 1000} s: ${alive.join(', ')}; sending SIGKILL`);
    for (const pid of alive) signal(pid, 'SIGKILL');
    alive = await waitForExit(alive, KILLED_EXIT_MS);
    if (alive.length > 0) throw new Error(`processes ${alive.join(', ')} of the cluster did not exit even after SIGKILL`);
  }
  if (record) removeClusterRecord(stateFile, record.hostPid);
  out(`cluster stopped (${pids.length} processes ended)`);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    // Already gone is what we want; anything else (EPERM) is not ours to stop.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw new Error(`cannot signal cluster process ${pid}: ${(error as Error).message}`);
  }
}

async function waitForExit(pids: number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  let alive = pids.filter(isProcessAlive);
  while (alive.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, POLL_MS));
    alive = alive.filter(isProcessAlive);
  }
  return alive;
}
