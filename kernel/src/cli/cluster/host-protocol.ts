/** What the `quire cluster start` command and its detached cluster host tell each other. */
import type { StartClusterOptions } from '@quire/engine';
import type { ClusterRecord } from './state-file.js';

/** Handed to the host in this environment variable (never argv: a process list would show it). */
export const HOST_CONFIG_VARIABLE = 'QUIRE_CLUSTER_HOST_CONFIG';

export interface ClusterHostConfig {
  cluster: StartClusterOptions;
  stateFile: string;
  logFile: string;
  /** The command made the scratch directory (no --scratch), so the host removes it when the cluster stops. */
  ownsScratch: boolean;
}

export type HostToCommand =
  | { type: 'ready'; record: ClusterRecord }
  | { type: 'failed'; error: string };
