/** The driver-facing cluster API: what a Session holds and calls. */
import type { Table } from 'apache-arrow';
import type { PhysicalPlan } from '../physical/types.js';
import type { MalformedRows } from '../io/csvInput.js';

export interface StartClusterOptions {
  /** Core workers (hold shuffle and cache data); a synonym of `core`, kept for older callers. */
  workers?: number;
  /** Core workers to start: they run tasks and hold exchange data. `core ?? workers ?? 2`. */
  core?: number;
  /** Task workers to start: they run tasks only; their outputs are handed to a core worker. 0 when absent. */
  task?: number;
  /** Directory the master and workers keep exchange data, results and DuckDB spill files in. */
  scratchDir: string;
  /** DuckDB memory_limit per worker, e.g. '2GB'. */
  memoryPerWorker?: string;
  /** DuckDB threads per worker. */
  threadsPerWorker?: number;
  /** Tasks one worker runs at the same time; 2 when absent. */
  tasksPerWorker?: number;
  /** A worker that has not sent a heartbeat for this long is declared lost; 3000 ms when absent. */
  heartbeatTimeoutMs?: number;
  /** Largest result (sum of Arrow partitions) the driver accepts; 1 GiB when absent. */
  maxResultBytes?: number;
  /** Scripts (absolute paths) every worker runs before it accepts tasks: `.mjs`/`.js`/`.ts` are imported, anything else executed. */
  bootstrap?: string[];
  /** Add task workers while work queues up, remove idle ones; off when absent. */
  scaling?: ManagedScalingOptions;
  /** Finished jobs the master remembers (oldest forgotten first); 50 when absent. */
  maxFinishedJobs?: number;
  /**
   * A stage whose shuffle input turned out smaller than this runs as fewer tasks, one per this many
   * bytes, and a range exchange this small is not sampled (scheduler/adaptive-partitions.ts); 8 MiB
   * when absent, 0 turns it off.
   */
  adaptivePartitionBytes?: number;
}

export interface ManagedScalingOptions {
  /** Fewest task workers managed scaling keeps. */
  minTask: number;
  /** Most task workers managed scaling starts. */
  maxTask: number;
  /** Add a task worker while more than this many tasks wait for a slot; 0 when absent. */
  queuedTasksThreshold?: number;
  /** Remove a task worker idle this long; 30000 ms when absent. */
  idleTimeoutMs?: number;
  /** How often the master decides; 1000 ms when absent. */
  intervalMs?: number;
}

export interface ResizeRequest {
  core?: number;
  task?: number;
  /** Remove task workers at once (their running tasks are retried elsewhere) instead of after their tasks. */
  force?: boolean;
}

export interface ResizeResult {
  /** Target sizes after the request. */
  core: number;
  task: number;
  started: string[];
  /** Workers leaving: drained (task), decommissioned after moving data (core), or killed (force). */
  removing: string[];
}

export interface ScalingDecision {
  at: string;
  action: 'add' | 'remove' | 'resize' | 'refused';
  role: WorkerRole;
  workerIds: string[];
  reason: string;
}

export interface RunJobOptions {
  signal?: AbortSignal;
  onProgress?(progress: JobProgress): void;
  description?: string;
  owner?: string;
}

export interface StageProgress {
  id: number;
  description: string;
  tasks: { total: number; running: number; done: number; failed: number };
}

export type JobState = 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobProgress {
  jobId: string;
  state: JobState;
  stages: StageProgress[];
  tasks: { total: number; running: number; done: number; failed: number };
}

export interface WrittenOutput {
  path: string;
  format: string;
  files: string[];
  rows: number;
  bytes: number;
}

export type JobResult = (
  | { jobId: string; table: Table; rowCount: number }
  | { jobId: string; written: WrittenOutput }
) & {
  /** Rows dropped from CSV files read in 'permissive' mode, per file; absent when none were. */
  malformedRows?: MalformedRows[];
};

export type WorkerRole = 'core' | 'task';
/** `draining`: finishes its running tasks, then leaves; `decommissioning`: a core worker moving its data away; `failed`: bootstrap failed. */
export type WorkerState = 'starting' | 'idle' | 'busy' | 'draining' | 'decommissioning' | 'dead' | 'failed';

/** One monitoring sample of a worker (the master keeps the last ~60, one a second). */
export interface WorkerSample {
  /** Milliseconds since the epoch. */
  t: number;
  cpu: number;
  rssBytes: number;
  runningTasks: number;
}

export interface WorkerStatus {
  id: string;
  role: WorkerRole;
  pid: number | undefined;
  state: WorkerState;
  /** CPU use since the previous heartbeat, in percent of one core. */
  cpu: number;
  rssBytes: number;
  runningTasks: number;
  /** Why the worker failed or was lost. */
  error?: string;
  /** The last ~60 samples, one a second. */
  history: WorkerSample[];
}

export interface JobSummary {
  jobId: string;
  description: string;
  owner: string;
  state: JobState;
  submittedAt: string;
  finishedAt?: string;
  error?: string;
  progress: JobProgress;
  /** Wall-clock milliseconds from submission to the end (or now). */
  durationMs: number;
}

/** A job with its stages' timings and the per-task event log. */
export interface JobDetail extends JobSummary {
  stages: {
    id: number;
    description: string;
    startedAt?: string;
    finishedAt?: string;
    tasks: StageProgress['tasks'];
    /** The stage whose task computed this one's rows (scheduler/stage-fusion.ts). */
    fusedInto?: number;
  }[];
  events: JobLogEvent[];
}

export interface JobLogEvent {
  at: string;
  event: 'submitted' | 'stageStarted' | 'stageSucceeded' | 'stageFused' | 'taskStarted' | 'taskSucceeded' | 'taskFailed' | 'taskLost'
    | 'outputLost' | 'outputMoved' | 'succeeded' | 'failed' | 'cancelled';
  stageId?: number;
  /** stageFused: the stage whose task computes this stage's rows. */
  intoStageId?: number;
  partition?: number;
  attempt?: number;
  workerId?: string;
  rowsIn?: number;
  bytesIn?: number;
  rowsOut?: number;
  bytesOut?: number;
  spillBytes?: number;
  durationMs?: number;
  error?: string;
}

/** Events on GET /api/cluster/events (SSE, `event:` is the `type`). */
export type ClusterEvent =
  | { type: 'job'; jobId: string; owner: string; entry: JobLogEvent; progress: JobProgress }
  | { type: 'worker'; at: string; workerId: string; role: WorkerRole; state: WorkerState; error?: string }
  | { type: 'sample'; at: string; workers: { id: string; cpu: number; rssBytes: number; runningTasks: number }[] }
  | { type: 'scaling'; decision: ScalingDecision };

export interface ClusterStatus {
  url: string;
  masterPid: number;
  workers: WorkerStatus[];
  jobs: JobSummary[];
  /** Target sizes (resize and managed scaling change them). */
  size: { core: number; task: number };
  scaling?: ManagedScalingOptions;
}

/** The master stopped answering: every call and stream of an attached client ends with this. */
export class ClusterLostError extends Error {
  constructor(readonly masterUrl: string, cause?: unknown) {
    super(`cluster lost: master at ${masterUrl} is not answering`, { cause });
    this.name = 'ClusterLostError';
  }
}

/**
 * A finished job's result partition went with a lost worker before the driver fetched it. The plan is a
 * pure function of its inputs, so the driver runs the job again rather than return fewer rows.
 */
export class ResultLostError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ResultLostError';
  }
}

export interface Cluster {
  url: string;
  runJob(plan: PhysicalPlan, opts?: RunJobOptions): Promise<JobResult>;
  status(): Promise<ClusterStatus>;
  /** Adds or removes workers while jobs run (POST /api/cluster/resize); rejects with the reason when refused. */
  resize(request: ResizeRequest): Promise<ResizeResult>;
  jobs(): Promise<JobSummary[]>;
  job(jobId: string): Promise<JobDetail>;
  scaling(): Promise<ScalingDecision[]>;
  /** Follows GET /api/cluster/events until the signal aborts; throws ClusterLostError when the master goes. */
  events(signal?: AbortSignal): AsyncIterable<ClusterEvent>;
  /** Stops a cluster this process started; for an attached cluster, only detaches. */
  stop(): Promise<void>;
}
