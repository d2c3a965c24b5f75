/** Runs plans on a Quire cluster: physical planning in the driver, stages on the workers. */
import type { Table } from 'apache-arrow';
import type { Cluster, WrittenOutput } from '../cluster/types.js';
import type { IoContext } from '../io/ioContext.js';
import { splitFiles } from '../io/splitFiles.js';
import { clusteredColumns } from '../io/clusteredColumns.js';
import type { PlannerContext } from '../physical/context.js';
import { plannerContext } from '../physical/context.js';
import { estimatePlanBytes } from '../physical/estimate.js';
import { explainPhysical, planPhysical } from '../physical/planner.js';
import type { PhysicalPlan } from '../physical/types.js';
import type { LogicalPlan } from '../plan/types.js';
import type { Executor, RunOptions } from './executor.js';
import type { WriteRequest } from './host.js';
import { parquetScanBytes } from './scan-sizes.js';

export interface ClusterExecutorOptions {
  cluster: Cluster;
  workers: number;
  io: IoContext;
  broadcastThresholdBytes?: number;
  shufflePartitions?: number;
  targetSplitBytes?: number;
  /** Stop the cluster when the session stops (false for an attached, shared cluster). */
  ownsCluster: boolean;
}

export class ClusterExecutor implements Executor {
  private readonly planner: PlannerContext;

  constructor(private readonly options: ClusterExecutorOptions) {
    const io = options.io;
    this.planner = plannerContext({
      workers: options.workers,
      ...(options.broadcastThresholdBytes !== undefined ? { broadcastThresholdBytes: options.broadcastThresholdBytes } : {}),
      ...(options.shufflePartitions !== undefined ? { shufflePartitions: options.shufflePartitions } : {}),
      ...(options.targetSplitBytes !== undefined ? { targetSplitBytes: options.targetSplitBytes } : {}),
      splitFiles: (source, filters, splitBytes) => splitFiles(source, filters, splitBytes, io),
      clusteredColumns: (source, splits) => clusteredColumns(source, splits, io),
    });
  }

  /** The planner context for one plan: join sides sized by the Parquet columns they read. */
  private async plannerFor(plan: LogicalPlan): Promise<PlannerContext> {
    const known = await parquetScanBytes(plan, this.options.io);
    return { ...this.planner, estimateBytes: (p, filters) => estimatePlanBytes(p, known, filters) };
  }

  async physicalText(plan: LogicalPlan): Promise<string> {
    return explainPhysical(await planPhysical(plan, await this.plannerFor(plan)));
  }

  async run(plan: LogicalPlan, options: RunOptions): Promise<Table> {
    const physical = await planPhysical(plan, await this.plannerFor(plan));
    const result = await this.options.cluster.runJob(this.withS3(physical), options);
    if (result.malformedRows) options.onMalformedRows(result.malformedRows);
    if (!('table' in result)) throw new Error(`job ${result.jobId} wrote files instead of returning rows`);
    return result.table;
  }

  async write(plan: LogicalPlan, request: WriteRequest, options: RunOptions): Promise<WrittenOutput> {
    const physical = await planPhysical(plan, await this.plannerFor(plan), request);
    const result = await this.options.cluster.runJob(this.withS3(physical), options);
    if (result.malformedRows) options.onMalformedRows(result.malformedRows);
    if (!('written' in result)) throw new Error(`job ${result.jobId} returned rows instead of writing ${request.path}`);
    return result.written;
  }

  /** Workers and the master reach S3 as the driver does, whatever their own environment says. */
  private withS3(plan: PhysicalPlan): PhysicalPlan {
    return this.options.io.s3 ? { ...plan, s3: this.options.io.s3 } : plan;
  }

  async stop(): Promise<void> {
    await this.options.cluster.stop();
  }
}
