/**
 * The entry point, as PySpark's SparkSession: reads data, makes DataFrames, runs SQL, and runs every
 * action as a job (analyze -> optimize -> validate -> physical plan -> cluster -> Arrow).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Table } from 'apache-arrow';
import { attachCluster } from '../cluster/client.js';
import { startCluster } from '../cluster/start-cluster.js';
import type { JobProgress, WrittenOutput } from '../cluster/types.js';
import { openDuckDB } from '../io/duckdb.js';
import { s3ConfigFromEnv, type S3Config } from '../io/s3Config.js';
import { optimize } from '../optimizer/index.js';
import { describePlan } from '../plan/describe.js';
import { AnalysisError } from '../plan/errors.js';
import type { LogicalPlan } from '../plan/types.js';
import { sqlToPlan, SqlError } from '../sql/index.js';
import { Catalog } from './catalog.js';
import { ClusterExecutor } from './cluster-executor.js';
import { malformedRowsWarning, type SessionWarning, type WarningListener } from './warnings.js';
import { DataFrame } from './dataframe.js';
import type { Executor, RunOptions } from './executor.js';
import type { ActionOptions, DataFrameHost, WriteRequest } from './host.js';
import { LocalExecutor } from './local-executor.js';
import { DataFrameReader } from './reader.js';
import { validatePlan } from './validate.js';
import { valuesFromArrow, valuesFromRows } from './values.js';
import { Table as ArrowTable } from 'apache-arrow';

export interface SessionOptions {
  /** Worker processes of the cluster this session starts (default 2). */
  workers?: number;
  /** Where the session and its cluster keep scratch data; a fresh temporary directory when absent (removed by stop()). */
  scratchDir?: string;
  /** DuckDB memory limit per worker, e.g. '2GB'. */
  memoryPerWorker?: string;
  /** DuckDB threads per worker (DuckDB's default, one per core, when absent). */
  threadsPerWorker?: number;
  /** URL of a running cluster to use instead of starting one. */
  cluster?: string;
  /** Join inputs estimated below this many bytes are broadcast (default 64 MiB). */
  broadcastThreshold?: number;
  /** Partitions of shuffles (default 2 x workers). */
  shufflePartitions?: number;
  /** About how many bytes of input files one scan task reads (default 64 MiB). */
  targetSplitBytes?: number;
  /** Run every query in the driver's own DuckDB instead of a cluster (local files only). */
  local?: boolean;
  /**
   * How the driver and every worker reach S3; unset fields come from AWS_REGION, AWS_ACCESS_KEY_ID,
   * AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_ENDPOINT_URL_S3 of the driver's environment
   * when the session starts.
   */
  s3?: Partial<S3Config>;
  /**
   * Who the session's jobs belong to on a shared cluster (a notebook): the master shares free task slots
   * fairly between owners, and the cluster's job list says whose each job is. Each job is its own owner
   * when absent.
   */
  owner?: string;
}

export type ProgressListener = (progress: JobProgress) => void;

export class Session implements DataFrameHost {
  readonly catalog = new Catalog();
  readonly read: DataFrameReader<DataFrame>;
  private readonly listeners = new Set<ProgressListener>();
  private readonly warningListeners = new Set<WarningListener>();
  private readonly running = new Set<AbortController>();
  private stopped = false;
  private jobDescription: string | undefined;

  private constructor(
    readonly connection: DuckDBConnection,
    private readonly instance: DuckDBInstance,
    private readonly executor: Executor,
    private readonly scratchDir: string,
    private readonly ownsScratch: boolean,
    s3: S3Config,
    private readonly owner: string | undefined,
  ) {
    this.read = new DataFrameReader<DataFrame>({
      connection,
      scratchDir: join(scratchDir, 'io-cache'),
      s3,
      toDataFrame: (plan) => this.dataFrame(plan),
    });
  }

  static async start(options: SessionOptions = {}): Promise<Session> {
    const s3 = s3ConfigFromEnv(process.env, options.s3);
    const ownsScratch = !options.scratchDir;
    const scratchDir = options.scratchDir ?? mkdtempSync(join(tmpdir(), 'quire-session-'));
    const { instance, connection } = await openDuckDB({ scratchDir: join(scratchDir, 'driver'), ...(options.local ? {} : { threads: 1 }) });
    try {
      let executor: Executor;
      if (options.local) {
        executor = new LocalExecutor(connection, join(scratchDir, 'driver'));
      } else {
        const workers = options.workers ?? 2;
        const cluster = options.cluster
          ? attachCluster(options.cluster)
          : await startCluster({
            workers,
            scratchDir: join(scratchDir, 'cluster'),
            ...(options.memoryPerWorker ? { memoryPerWorker: options.memoryPerWorker } : {}),
            ...(options.threadsPerWorker ? { threadsPerWorker: options.threadsPerWorker } : {}),
          });
        const clusterWorkers = options.cluster ? (await cluster.status()).workers.length || workers : workers;
        executor = new ClusterExecutor({
          cluster,
          workers: clusterWorkers,
          io: { connection, scratchDir: join(scratchDir, 'io-cache'), s3 },
          ...(options.broadcastThreshold !== undefined ? { broadcastThresholdBytes: options.broadcastThreshold } : {}),
          ...(options.shufflePartitions !== undefined ? { shufflePartitions: options.shufflePartitions } : {}),
          ...(options.targetSplitBytes !== undefined ? { targetSplitBytes: options.targetSplitBytes } : {}),
          ownsCluster: !options.cluster,
        });
      }
      return new Session(connection, instance, executor, scratchDir, ownsScratch, s3, options.owner);
    } catch (error) {
      connection.closeSync();
      instance.closeSync();
      if (ownsScratch) rmSync(scratchDir, { recursive: true, force: true });
      throw error;
    }
  }

  private dataFrame(plan: LogicalPlan): DataFrame {
    return new DataFrame(this, { plan });
  }

  /** Rows as objects (integers become BIGINT, other numbers DOUBLE), or an apache-arrow Table. */
  createDataFrame(data: Record<string, unknown>[] | ArrowTable): DataFrame {
    return this.dataFrame(data instanceof ArrowTable ? valuesFromArrow(data) : valuesFromRows(data));
  }

  /** `range(end)` or `range(start, end, step)`: one BIGINT column `id`. */
  range(startOrEnd: number, end?: number, step = 1, numPartitions?: number): DataFrame {
    const [start, stop] = end === undefined ? [0, startOrEnd] : [startOrEnd, end];
    for (const [name, v] of [['start', start], ['end', stop], ['step', step]] as const) {
      if (!Number.isSafeInteger(v)) throw new AnalysisError(`range(): ${name} must be an integer, got ${v}`);
    }
    if (step === 0) throw new AnalysisError('range(): step must not be 0');
    if (numPartitions !== undefined && (!Number.isInteger(numPartitions) || numPartitions < 1)) {
      throw new AnalysisError(`range(): numPartitions must be a positive integer, got ${numPartitions}`);
    }
    return this.dataFrame({
      op: 'range', start, end: stop, step, ...(numPartitions ? { numPartitions } : {}),
      schema: { fields: [{ name: 'id', type: 'BIGINT', nullable: false }] },
    });
  }

  /** A query over the temporary views, parsed by DuckDB. */
  async sql(query: string): Promise<DataFrame> {
    if (typeof query !== 'string' || query.trim() === '') throw new AnalysisError('sql() needs a query');
    try {
      const plan = await sqlToPlan(query, {
        connection: this.connection,
        resolveTable: (name) => this.catalog.lookup(name),
        tableNames: () => this.catalog.names(),
      });
      return this.dataFrame(plan);
    } catch (error) {
      if (error instanceof SqlError) throw new AnalysisError(error.message, { cause: error });
      throw error;
    }
  }

  /** A temporary view as a DataFrame. */
  table(name: string): DataFrame {
    return this.dataFrame(this.catalog.require(name));
  }

  registerView(name: string, plan: LogicalPlan): void {
    this.catalog.register(name, plan);
  }

  /** Called with every progress update of every job this session runs; returns the unsubscribe function. */
  onProgress(listener: ProgressListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Called with what a succeeded action must tell the user (rows dropped from permissive CSV reads);
   * returns the unsubscribe function. With no listener here or on the action, warnings go to console.warn.
   */
  onWarning(listener: WarningListener): () => void {
    this.warningListeners.add(listener);
    return () => this.warningListeners.delete(listener);
  }

  /**
   * Labels the jobs this session submits from now on (as Spark's SparkContext.setJobDescription), for
   * the cluster's job list: a notebook names the cell that ran them. `undefined` clears it.
   */
  setJobDescription(text: string | undefined): void {
    this.jobDescription = text?.trim() || undefined;
  }

  /** Cancels every running job of this session; their actions reject with an AbortError. */
  cancelAll(): void {
    for (const controller of this.running) controller.abort(abortReason());
  }

  async explain(plan: LogicalPlan): Promise<string> {
    const optimized = optimize(plan);
    return [
      '== Logical Plan ==', describePlan(plan), '',
      '== Optimized Logical Plan ==', describePlan(optimized), '',
      '== Physical Plan ==', await this.executor.physicalText(optimized),
    ].join('\n');
  }

  async execute(plan: LogicalPlan, options: ActionOptions = {}): Promise<Table> {
    return this.job(plan, options, (optimized, run) => this.executor.run(optimized, run));
  }

  async write(plan: LogicalPlan, request: WriteRequest, options: ActionOptions = {}): Promise<WrittenOutput> {
    return this.job(plan, options, (optimized, run) => this.executor.write(optimized, request, run), `write ${request.format} ${request.path}`);
  }

  private async job<T>(plan: LogicalPlan, options: ActionOptions, body: (optimized: LogicalPlan, run: RunOptions) => Promise<T>, description?: string): Promise<T> {
    if (this.stopped) throw new Error('this session has been stopped');
    const controller = new AbortController();
    const forward = () => controller.abort(options.signal?.reason ?? abortReason());
    if (options.signal?.aborted) forward();
    options.signal?.addEventListener('abort', forward, { once: true });
    this.running.add(controller);
    try {
      const optimized = await validatePlan(optimize(plan), this.connection);
      controller.signal.throwIfAborted();
      return await body(optimized, {
        signal: controller.signal,
        description: [this.jobDescription, description ?? describePlan(plan).split('\n')[0]!].filter(Boolean).join(': '),
        ...(this.owner ? { owner: this.owner } : {}),
        onProgress: (progress) => {
          options.onProgress?.(progress);
          this.listeners.forEach((l) => l(progress));
        },
        onMalformedRows: (rows) => this.warn(malformedRowsWarning(rows), options),
      });
    } finally {
      options.signal?.removeEventListener('abort', forward);
      this.running.delete(controller);
    }
  }

  private warn(warning: SessionWarning, options: ActionOptions): void {
    options.onWarning?.(warning);
    this.warningListeners.forEach((l) => l(warning));
    if (!options.onWarning && this.warningListeners.size === 0) console.warn(`quire: ${warning.message}`);
  }

  /** Cancels running jobs, stops the cluster this session started and removes its scratch directory. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelAll();
    try {
      await this.executor.stop();
    } finally {
      this.connection.closeSync();
      this.instance.closeSync();
      if (this.ownsScratch) rmSync(this.scratchDir, { recursive: true, force: true });
    }
  }
}

function abortReason(): Error {
  const error = new Error('the job was cancelled');
  error.name = 'AbortError';
  return error;
}
