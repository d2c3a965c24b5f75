/** `quire cluster resize`: asks the master for a number of task (and optionally core) workers. */
import type { Cluster, ResizeResult } from '@quire/engine';

export interface ResizeCommandRequest {
  task?: number;
  core?: number;
  force: boolean;
}

/** Checks the request before any cluster is contacted. */
export function resizeRequestFrom(request: ResizeCommandRequest): ResizeCommandRequest {
  if (request.task === undefined && request.core === undefined) throw new Error('resize needs --task N and/or --core N');
  if (request.core !== undefined && request.core < 1) throw new Error('--core must be at least 1: core workers hold the exchange data every job needs');
  return request;
}

export async function resizeCluster(cluster: Cluster, request: ResizeCommandRequest): Promise<ResizeResult> {
  try {
    return await cluster.resize(request);
  } catch (error) {
    throw new Error(`resize refused: ${(error as Error).message}`);
  }
}

export function describeResize(result: ResizeResult, force: boolean): string[] {
  const lines = [`target size: ${result.core} core, ${result.task} task workers`];
  if (result.started.length) lines.push(`starting ${result.started.join(', ')}`);
  if (result.removing.length) lines.push(`${force ? 'killing' : 'removing'} ${result.removing.join(', ')}${force ? ' (their running tasks are retried elsewhere)' : ' once their tasks are done'}`);
  lines.push("'quire cluster status' shows the workers");
  return lines;
}
