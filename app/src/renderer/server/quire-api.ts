import type { ServerConnection } from '@jupyterlab/services';
import { requestJson } from './connection.js';

/**
 * Quire's endpoints beside the Jupyter API (served by `quire serve`). Every URL the UI uses outside
 * `@jupyterlab/services` is here, so the contract with the server is in one place.
 */
export interface ClusterWorker {
  id: string;
  role: 'master' | 'task' | string;
  pid: number;
  state: string;
  /** CPU use, percent of one core. */
  cpu: number;
  rssBytes: number;
  runningTasks: number;
}
export interface ClusterStatus {
  workers: ClusterWorker[];
}
export interface JobStage {
  id: number | string;
  name: string;
  state: string;
  tasksDone: number;
  tasksTotal: number;
  startedAt?: number | null;
  finishedAt?: number | null;
}
export interface ClusterJob {
  id: string;
  description?: string;
  notebook?: string;
  state: string;
  startedAt?: number | null;
  finishedAt?: number | null;
  stages: JobStage[];
}

export type BackupState = 'synced' | 'pending' | 'failing' | 'conflict' | 'off';
export interface BackupStatus {
  state: BackupState;
  detail?: string;
}
export interface NotebookVersion {
  id: string;
  savedAt: string;
  size?: number;
}

export const getCluster = (s: ServerConnection.ISettings) => requestJson<ClusterStatus>(s, 'api/cluster');

export async function getJobs(s: ServerConnection.ISettings, notebook?: string): Promise<ClusterJob[]> {
  const query = notebook ? `?notebook=${encodeURIComponent(notebook)}` : '';
  const answer = await requestJson<{ jobs: ClusterJob[] } | ClusterJob[]>(s, `api/cluster/jobs${query}`);
  return Array.isArray(answer) ? answer : answer.jobs;
}

export const addTaskWorker = (s: ServerConnection.ISettings) =>
  requestJson<unknown>(s, 'api/cluster/workers', { method: 'POST', body: JSON.stringify({ role: 'task' }) });

export const removeWorker = (s: ServerConnection.ISettings, id: string) =>
  requestJson<unknown>(s, `api/cluster/workers/${encodeURIComponent(id)}`, { method: 'DELETE' });

export const cancelJob = (s: ServerConnection.ISettings, id: string) =>
  requestJson<unknown>(s, `api/cluster/jobs/${encodeURIComponent(id)}/cancel`, { method: 'POST' });

interface BackupOverview {
  configured: boolean;
  location?: string;
  notebooks: Record<string, { status: Exclude<BackupState, 'off'>; error?: string; lastSyncedAt?: string }>;
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

export async function listVersions(s: ServerConnection.ISettings, path: string): Promise<NotebookVersion[]> {
  const answer = await requestJson<{ versions: NotebookVersion[] }>(s, `api/quire/history?path=${encodeURIComponent(path)}`);
  return answer.versions;
}

export const getVersion = (s: ServerConnection.ISettings, path: string, id: string) =>
  requestJson<unknown>(s, `api/quire/history/${encodeURIComponent(id)}?path=${encodeURIComponent(path)}`);

export const restoreVersion = (s: ServerConnection.ISettings, path: string, id: string) =>
  requestJson<unknown>(s, `api/quire/history/${encodeURIComponent(id)}/restore?path=${encodeURIComponent(path)}`, { method: 'POST' });

export const publishNotebook = (s: ServerConnection.ISettings, path: string) =>
  requestJson<{ path: string }>(s, 'api/quire/shared/publish', { method: 'POST', body: JSON.stringify({ path }) });

export const forkNotebook = (s: ServerConnection.ISettings, path: string) =>
  requestJson<{ path: string }>(s, 'api/quire/shared/fork', { method: 'POST', body: JSON.stringify({ path }) });
