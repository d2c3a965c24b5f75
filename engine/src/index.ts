/**
 * @quire/engine: a PySpark-shaped DataFrame API and SQL over a local multi-process cluster of
 * DuckDB workers. `Session.start()` is the entry point; `functions` (also exported one by one) build
 * columns.
 */
export * from './api/index.js';
export { AnalysisError } from './plan/errors.js';
export { optimize, defaultRules, runRules, type Rule, type OptimizeTrace } from './optimizer/index.js';
export { describePlan } from './plan/describe.js';
export type { LogicalPlan, Expr, Schema, Field, DataType } from './plan/types.js';
export { startCluster, attachCluster, ClusterLostError, ResultLostError } from './cluster/index.js';
export type {
  Cluster, ClusterEvent, ClusterStatus, JobDetail, JobProgress, JobSummary, ResizeRequest, ResizeResult, ScalingDecision, StageProgress,
  StartClusterOptions, WorkerStatus, WrittenOutput,
} from './cluster/index.js';
