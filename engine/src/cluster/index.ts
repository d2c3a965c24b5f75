export { startCluster } from './start-cluster.js';
export { attachCluster } from './client.js';
export { ClusterLostError, ResultLostError } from './types.js';
export { DUCKDB_TYPE_METADATA_KEY, decimalCellToBigInt } from '../exchange/arrow-columns.js';
export type {
  Cluster, ClusterEvent, ClusterStatus, JobDetail, JobLogEvent, JobProgress, JobResult, JobState, JobSummary, ManagedScalingOptions,
  ResizeRequest, ResizeResult, RunJobOptions, ScalingDecision, StageProgress, StartClusterOptions, WorkerRole, WorkerSample,
  WorkerState, WorkerStatus, WrittenOutput,
} from './types.js';
