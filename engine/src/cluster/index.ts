export { startCluster } from './start-cluster.js';
export { attachCluster } from './client.js';
export { DUCKDB_TYPE_METADATA_KEY, decimalCellToBigInt } from '../exchange/arrow-columns.js';
export type {
  Cluster, ClusterStatus, JobProgress, JobResult, JobState, JobSummary, RunJobOptions, StageProgress,
  StartClusterOptions, WorkerStatus, WrittenOutput,
} from './types.js';
