import type { ServerConnection } from '@jupyterlab/services';
import { requestJson } from './connection.js';

/**
 * Quire's endpoints beside the Jupyter API (served by `quire serve`). Every URL the UI uses outside
 * `@jupyterlab/services` is here, so the contract with the server is in one place.
 */
/** A worker as the cluster master reports it (engine/src/cluster/types.ts WorkerStatus). */
export interface ClusterWorker {
  id: string;
  role: 'core' | 'task';
  pid: number;
  state: string;
  /** CPU use, percent of one core. */
  cpu: number;
  rssBytes: number;
  runningTasks: number;
}
export interface TaskCounts {
  total: number;
  running: number;
  done: number;
  failed: number;
}
/** A job as the master summarizes it (engine/src/cluster/types.ts JobSummary). */
export interface ClusterJob {
  jobId: string;
  description: string;
  state: 'running' | 'succeeded' | 'failed' | 'cancelled';
  submittedAt: string;
  finishedAt?: string;
  error?: string;
  durationMs: number;
  progress: { stages: { id: number; description: string; tasks: TaskCounts }[]; tasks: TaskCounts };
}
export interface ClusterStatus {
  workers: ClusterWorker[];
  jobs: ClusterJob[];
  /** Target sizes; resizing changes them. */
  size: { core: number; task: number };
}

export type BackupState = 'synced' | 'pending' | 'failing' | 'conflict' | 'off';
export interface BackupStatus {
  state: BackupState;
  detail?: string;
}
/** A version in the notebook's history (kernel/src/storage/notebook-history.ts NotebookVersion). */
export interface NotebookVersion {
  /** `<UTC time>-<hash>.ipynb`, unique per version. */
  id: string;
  savedAt: string;
  hash: string;
  size: number;
}
/** A notebook in the shared S3 space (kernel/src/storage/shared-space.ts SharedNotebook). */
export interface SharedNotebook {
  path: string;
  size: number;
  lastModified: string;
}

export const getCluster = (s: ServerConnection.ISettings) => requestJson<ClusterStatus>(s, 'api/cluster');

/** Sets the cluster's target number of task workers; fewer drains task workers after their running tasks. */
export const resizeTaskWorkers = (s: ServerConnection.ISettings, task: number) =>
  requestJson<{ core: number; task: number; started: string[]; removing: string[] }>(s, 'api/cluster/resize', { method: 'POST', body: JSON.stringify({ task }) });

export const cancelJob = (s: ServerConnection.ISettings, id: string) =>
  requestJson<unknown>(s, `api/cluster/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });

interface BackupOverview {
  configured: boolean;
  location?: string;
  notebooks: Record<string, { status: Exclude<BackupState, 'off'>; error?: string; lastSyncedAt?: string; queued?: number }>;
}

/**
 * One notebook's backup state, read from the server's overview of all notebooks. 'off' when the server
 * has no backup location; 'pending' for a notebook the backup has not seen yet.
 */
export async function getBackupStatus(s: ServerConnection.ISettings, path: string): Promise<BackupStatus> {
  const overview = await requestJson<BackupOverview>(s, 'api/quire/backup');
  if (!overview.configured) return { state: 'off', detail: 'No backup location is configured' };
  const entry = overview.notebooks[path];
  if (!entry) return { state: 'pending', detail: `Not yet backed up to ${overview.location ?? 'S3'}` };
  const detail = entry.error ?? (entry.lastSyncedAt ? `Last backed up ${entry.lastSyncedAt} to ${overview.location ?? 'S3'}` : overview.location);
  return { state: entry.status, ...(detail ? { detail } : {}) };
}

/**
 * Ends a backup conflict: 'ours' puts the local notebook on S3 over the other copy; 'theirs' makes the
 * copy on S3 the notebook, replacing the local file (the local version stays in the history).
 */
export const resolveBackupConflict = (s: ServerConnection.ISettings, path: string, keep: 'ours' | 'theirs') =>
  requestJson<unknown>(s, 'api/quire/backup/resolve', { method: 'POST', body: JSON.stringify({ path, keep }) });

/** An API path in a URL path, each segment escaped but the slashes kept (the server's `*path` routes). */
function pathInUrl(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/** The notebook's versions, oldest first. */
export async function listVersions(s: ServerConnection.ISettings, path: string): Promise<NotebookVersion[]> {
  const answer = await requestJson<{ versions: NotebookVersion[] }>(s, `api/quire/history/${pathInUrl(path)}`);
  return answer.versions;
}

/** One version's notebook JSON. */
export async function getVersion(s: ServerConnection.ISettings, path: string, id: string): Promise<unknown> {
  const answer = await requestJson<{ content: unknown }>(s, `api/quire/history/${pathInUrl(path)}?version=${encodeURIComponent(id)}`);
  return answer.content;
}

/** Puts a version back as the local file; the server records the content it replaces as a version first. */
export const restoreVersion = (s: ServerConnection.ISettings, path: string, id: string) =>
  requestJson<{ restored: string; previous?: string }>(s, `api/quire/restore/${pathInUrl(path)}`, { method: 'POST', body: JSON.stringify({ version: id }) });

export async function listShared(s: ServerConnection.ISettings): Promise<{ location: string; notebooks: SharedNotebook[] }> {
  return requestJson<{ location: string; notebooks: SharedNotebook[] }>(s, 'api/quire/shared');
}

export const publishNotebook = (s: ServerConnection.ISettings, path: string) =>
  requestJson<{ path: string; author: string; publishedAt: string }>(s, 'api/quire/shared/publish', { method: 'POST', body: JSON.stringify({ path }) });

/** A shared notebook as the server opens it: read-only, with the `s3://` URL it was read from. */
export interface SharedNotebookContents {
  path: string;
  location: string;
  writable: false;
  content: unknown;
}

export const openSharedNotebook = (s: ServerConnection.ISettings, path: string) =>
  requestJson<SharedNotebookContents>(s, `api/quire/shared/notebooks/${pathInUrl(path)}`);

/** Removes a notebook from the shared space; the server keeps the removed copy in the space's history (`keptAs`). */
export const unpublishNotebook = (s: ServerConnection.ISettings, path: string) =>
  requestJson<{ path: string; unpublishedAt: string; keptAs: string }>(s, `api/quire/shared/notebooks/${pathInUrl(path)}`, { method: 'DELETE' });

/** Copies a shared notebook into the local root at `to`; the server refuses to overwrite a local file. */
export const forkNotebook = (s: ServerConnection.ISettings, path: string, to: string) =>
  requestJson<{ path: string }>(s, 'api/quire/shared/fork', { method: 'POST', body: JSON.stringify({ path, to }) });
