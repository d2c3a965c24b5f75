/**
 * Where `quire cluster start` records the long-running cluster so the other `quire cluster`
 * commands find it without a URL: `$QUIRE_STATE_DIR/cluster.json`, else
 * `$XDG_STATE_HOME/quire/cluster.json`, else `~/.local/state/quire/cluster.json`.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface ClusterRecord {
  /** The cluster URL with its token, as `--cluster` takes it. */
  url: string;
  /** The detached host process that owns the cluster; stopping it stops the master and workers. */
  hostPid: number;
  masterPid: number;
  scratchDir: string;
  /** Master and worker output (stderr) goes here. */
  logFile: string;
  startedAt: string;
}

export function defaultStateDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.QUIRE_STATE_DIR) return env.QUIRE_STATE_DIR;
  if (env.XDG_STATE_HOME) return join(env.XDG_STATE_HOME, 'quire');
  return join(homedir(), '.local', 'state', 'quire');
}

/** The state file: `--state FILE` when given, else cluster.json in the state dir. */
export function stateFilePath(explicit: string | undefined): string {
  return explicit ?? join(defaultStateDir(), 'cluster.json');
}

export function readClusterRecord(file: string): ClusterRecord | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let parsed: Partial<ClusterRecord>;
  try {
    parsed = JSON.parse(text) as Partial<ClusterRecord>;
  } catch (error) {
    throw new Error(`the cluster state file ${file} is not valid JSON (${(error as Error).message}); delete it if no cluster is running`);
  }
  if (typeof parsed.url !== 'string' || typeof parsed.hostPid !== 'number' || typeof parsed.masterPid !== 'number') {
    throw new Error(`the cluster state file ${file} lacks url, hostPid or masterPid; delete it if no cluster is running`);
  }
  return parsed as ClusterRecord;
}

export function writeClusterRecord(file: string, record: ClusterRecord): void {
  mkdirSync(dirname(file), { recursive: true });
  // Written whole then renamed, so a concurrent reader never sees half a record; mode 600: it holds the token.
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(record, null, 1) + '\n', { mode: 0o600 });
  renameSync(temporary, file);
}

/** Removes the record only if it still names this host, so a newer cluster's record survives. */
export function removeClusterRecord(file: string, hostPid: number): void {
  const current = readClusterRecordQuietly(file);
  if (current && current.hostPid === hostPid) rmSync(file, { force: true });
}

function readClusterRecordQuietly(file: string): ClusterRecord | undefined {
  try {
    return readClusterRecord(file);
  } catch {
    // A damaged record is not ours to remove.
    return undefined;
  }
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
