/** Finds the cluster a `quire cluster` command acts on: `--cluster URL`, else the recorded one. */
import { attachCluster, type Cluster, type ClusterStatus } from '@quire/engine';
import { isProcessAlive, readClusterRecord, removeClusterRecord, type ClusterRecord } from './state-file.js';

const ANSWER_TIMEOUT_MS = 5000;

export interface LocatedCluster {
  cluster: Cluster;
  /** Present when the cluster was found through the state file. */
  record?: ClusterRecord;
}

export function locateCluster(url: string | undefined, stateFile: string): LocatedCluster {
  if (url) {
    const record = readClusterRecord(stateFile);
    return { cluster: attachCluster(url), record: record?.url === url ? record : undefined };
  }
  const record = readClusterRecord(stateFile);
  if (!record) throw new Error(`no cluster is running (nothing recorded in ${stateFile}); start one with 'quire cluster start' or pass --cluster URL`);
  if (!isProcessAlive(record.hostPid)) {
    removeClusterRecord(stateFile, record.hostPid);
    throw new Error(`no cluster is running: the one recorded in ${stateFile} (host pid ${record.hostPid}) has exited; removed its record. Its log: ${record.logFile}`);
  }
  return { cluster: attachCluster(record.url), record };
}

/** The cluster's status, or an error saying which cluster is not answering and where its log is. */
export async function statusOrExplain(located: LocatedCluster): Promise<ClusterStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ANSWER_TIMEOUT_MS / 1000} s`)), ANSWER_TIMEOUT_MS);
  });
  try {
    return await Promise.race([located.cluster.status(), timeout]);
  } catch (error) {
    const cause = describeFetchError(error);
    const where = located.record
      ? ` (host pid ${located.record.hostPid}, log ${located.record.logFile}); 'quire cluster stop' ends it`
      : '';
    throw new Error(`the cluster at ${redactToken(located.cluster.url)} is not answering: ${cause}${where}`);
  } finally {
    clearTimeout(timer);
  }
}

export function redactToken(url: string): string {
  return url.replace(/token=[^&]+/, 'token=…');
}

function describeFetchError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = (error as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? `${error.message} (${cause.message})` : error.message;
}
