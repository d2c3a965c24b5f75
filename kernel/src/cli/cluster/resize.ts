/** `quire cluster resize`: asks the master for a number of task (and optionally core) workers. */
import type { Cluster } from '@quire/engine';

export interface ResizeRequest {
  task?: number;
  core?: number;
  force: boolean;
}

export async function resizeCluster(cluster: Cluster, request: ResizeRequest): Promise<unknown> {
  if (request.task === undefined && request.core === undefined) throw new Error('resize needs --task N and/or --core N');
  if (request.core !== undefined && request.core < 1) throw new Error('--core must be at least 1: core workers hold the exchange data every job needs');
  const url = new URL(cluster.url);
  const token = url.searchParams.get('token') ?? '';
  const response = await fetch(`${url.protocol}//${url.host}/api/cluster/resize`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  const text = await response.text();
  if (response.status === 404) throw new Error('this cluster cannot be resized: its master has no /api/cluster/resize route');
  if (!response.ok) throw new Error(`resize refused: HTTP ${response.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}
