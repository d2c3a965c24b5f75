/**
 * The driver's side of the master's HTTP API: submit, follow, cancel and collect jobs, resize,
 * monitor. A master that stops answering (dead, or stopped) ends every call and stream with a
 * ClusterLostError: requests time out, and event streams expect the master's keep-alive pings.
 */
import { Table, tableFromIPC } from 'apache-arrow';
import type { PhysicalPlan } from '../physical/types.js';
import type { JobEvent, JobOutcome, SubmitJobRequest } from './protocol.js';
import { HttpNetworkError, httpRequest, keepAliveAgent, type HttpAnswer } from './http-request.js';
import { ClusterLostError, ResultLostError } from './types.js';
import type {
  Cluster, ClusterEvent, ClusterStatus, JobDetail, JobResult, JobSummary, ResizeRequest, ResizeResult, RunJobOptions, ScalingDecision,
} from './types.js';

const TERMINAL_EVENTS = new Set<string>(['succeeded', 'failed', 'cancelled']);

/** The master pings every event stream this often (see master-http.ts). */
export const KEEPALIVE_MS = 1000;

export interface AttachOptions {
  /** A master silent for this long (no answer, no ping on a stream) is lost; 5000 ms when absent. */
  lostAfterMs?: number;
}

/** How many times a job is run again because a finished result partition was lost before it was fetched. */
const MAX_RESULT_LOSSES = 3;
/** Result partitions fetched at once (each is one local file streamed by the master). */
const RESULT_FETCH_CONCURRENCY = 4;

export class ClusterClient implements Cluster {
  private readonly base: string;
  private readonly token: string;
  private readonly lostAfterMs: number;
  private readonly agent = keepAliveAgent();

  constructor(readonly url: string, private readonly onStop: () => Promise<void> = async () => {}, options: AttachOptions = {}) {
    const parsed = new URL(url);
    const token = parsed.searchParams.get('token');
    if (!token) throw new Error(`cluster URL ${redact(url)} has no token; expected http://127.0.0.1:PORT/?token=T`);
    this.token = token;
    this.base = `${parsed.protocol}//${parsed.host}`;
    this.lostAfterMs = options.lostAfterMs ?? 5000;
    if (!(this.lostAfterMs > KEEPALIVE_MS)) throw new Error(`lostAfterMs must be more than ${KEEPALIVE_MS} ms, got ${options.lostAfterMs}`);
  }

  async runJob(plan: PhysicalPlan, opts: RunJobOptions = {}): Promise<JobResult> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.runJobOnce(plan, opts);
      } catch (error) {
        if (!(error instanceof ResultLostError) || attempt >= MAX_RESULT_LOSSES) throw error;
      }
    }
  }

  /**
   * Submits on a stream that then carries the job's events (a job lives as long as that stream); a
   * small result arrives inline with 'succeeded', a larger one is fetched by partition and released.
   */
  private async runJobOnce(plan: PhysicalPlan, opts: RunJobOptions): Promise<JobResult> {
    opts.signal?.throwIfAborted();
    const request: SubmitJobRequest = { plan, description: opts.description, owner: opts.owner };
    let jobId = '';
    const events = this.stream('/api/jobs?follow=1', opts.signal, request, (event) => TERMINAL_EVENTS.has(event));
    const outcome = await this.follow(events, opts, (id) => {
      jobId = id;
    });
    const dropped = outcome.malformedRows ? { malformedRows: outcome.malformedRows } : {};
    if (outcome.kind === 'written') return { jobId, written: outcome.written, ...dropped };
    const table = outcome.inline ? inlineTable(outcome.inline) : await this.collect(jobId, outcome.partitions, opts.signal);
    return { jobId, table, rowCount: table.numRows, ...dropped };
  }

  status(): Promise<ClusterStatus> {
    return this.call('GET', '/api/cluster') as Promise<ClusterStatus>;
  }

  resize(request: ResizeRequest): Promise<ResizeResult> {
    return this.call('POST', '/api/cluster/resize', request) as Promise<ResizeResult>;
  }

  async jobs(): Promise<JobSummary[]> {
    return ((await this.call('GET', '/api/cluster/jobs')) as { jobs: JobSummary[] }).jobs;
  }

  job(jobId: string): Promise<JobDetail> {
    return this.call('GET', `/api/cluster/jobs/${encodeURIComponent(jobId)}`) as Promise<JobDetail>;
  }

  async scaling(): Promise<ScalingDecision[]> {
    return ((await this.call('GET', '/api/cluster/scaling')) as { decisions: ScalingDecision[] }).decisions;
  }

  async *events(signal?: AbortSignal): AsyncIterable<ClusterEvent> {
    for await (const event of this.stream('/api/cluster/events', signal)) yield event.data as ClusterEvent;
  }

  async stop(): Promise<void> {
    try {
      await this.onStop();
    } finally {
      this.agent.destroy();
    }
  }

  /** Reads a job's event stream until it ends; rejects on failure or cancellation. */
  private async follow(events: AsyncIterable<{ event: string; data: unknown }>, opts: RunJobOptions, submitted: (jobId: string) => void): Promise<JobOutcome> {
    let jobId = 'not yet submitted';
    let last: JobEvent | undefined;
    try {
      // Read to the end (the master ends the stream after the last event), not left at the last event.
      for await (const { event, data } of events) {
        const jobEvent = { event, data } as JobEvent;
        if (jobEvent.event === 'submitted') {
          jobId = jobEvent.data.jobId;
          submitted(jobId);
        } else if (jobEvent.event === 'progress') {
          opts.onProgress?.(jobEvent.data);
        } else {
          last = jobEvent;
        }
      }
      switch (last?.event) {
        case 'succeeded':
          return last.data;
        case 'failed':
          throw new Error(last.data.error);
        case 'cancelled':
          throw abortError(`job ${jobId} was cancelled: ${last.data.reason}`);
        default:
          throw new ClusterLostError(redact(this.url), new Error(`the master closed job ${jobId}'s event stream before the job ended`));
      }
    } catch (error) {
      // Closing the stream cancels the job on the master.
      if (opts.signal?.aborted) throw abortError(`job ${jobId} was cancelled`);
      throw error;
    }
  }

  /**
   * An SSE stream whose silence for lostAfterMs (the master pings every second) or whose
   * connection failing means the master is lost.
   */
  private async *stream(
    path: string, signal: AbortSignal | undefined, body?: unknown, isLast?: (event: string) => boolean,
  ): AsyncGenerator<{ event: string; data: unknown }> {
    const abort = new AbortController();
    const onAbort = () => abort.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    let silent = false;
    let lastSeen = false;
    let completed = false;
    let watchdog: NodeJS.Timeout | undefined;
    const heard = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => {
        silent = true;
        abort.abort();
      }, this.lostAfterMs);
    };
    try {
      heard();
      const method = body === undefined ? 'GET' : 'POST';
      const response = await httpRequest(`${this.base}${path}`, {
        method,
        headers: { ...this.headers(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: abort.signal,
        agent: this.agent,
      });
      if (!response.ok) throw new Error(`cluster ${method} ${path} failed (HTTP ${response.status}): ${errorText(await response.text())}`);
      for await (const event of parseEvents(response.body, heard)) {
        lastSeen ||= isLast?.(event.event) ?? false;
        yield event;
      }
      // A stream read to the end after its last event leaves its connection to be used again.
      if (lastSeen) {
        completed = true;
        return;
      }
      if (!signal?.aborted) throw new ClusterLostError(redact(this.url), new Error(`the master closed ${path}`));
    } catch (error) {
      if (signal?.aborted) throw abortError(`${path} was aborted`);
      if (silent || isNetworkError(error)) throw new ClusterLostError(redact(this.url), error);
      throw error;
    } finally {
      clearTimeout(watchdog);
      signal?.removeEventListener('abort', onAbort);
      if (!completed) abort.abort();
    }
  }

  /** Fetches every result partition, RESULT_FETCH_CONCURRENCY at a time; the first failure stops the others. */
  private async collect(jobId: string, partitions: number, signal: AbortSignal | undefined): Promise<Table> {
    const failed = new AbortController();
    const fetchSignal = signal ? AbortSignal.any([signal, failed.signal]) : failed.signal;
    try {
      const tables: Table[] = new Array(partitions);
      let next = 0;
      const fetchNext = async (): Promise<void> => {
        while (next < partitions) {
          const partition = next++;
          tables[partition] = await this.resultPartition(jobId, partition, fetchSignal);
        }
      };
      // The first failure is the one reported: the fetches it stops fail too, with an abort.
      let failure: { error: unknown } | undefined;
      const fetchers = Array.from({ length: Math.min(partitions, RESULT_FETCH_CONCURRENCY) }, () =>
        fetchNext().catch((error: unknown) => {
          failure ??= { error };
          failed.abort();
        }),
      );
      // Every fetch has ended before the results are released.
      await Promise.all(fetchers);
      if (failure) throw failure.error;
      const [first, ...rest] = tables;
      return first ? first.concat(...rest) : new Table();
    } finally {
      await this.call('POST', `/api/jobs/${jobId}/release`);
    }
  }

  private async resultPartition(jobId: string, partition: number, signal: AbortSignal): Promise<Table> {
    const response = await this.request('GET', `/api/jobs/${jobId}/results/${partition}`, undefined, signal, true);
    if (response.status === 410) throw new ResultLostError(errorText(await response.text()));
    if (!response.ok) throw new Error(`fetching result partition ${partition} of job ${jobId} failed: HTTP ${response.status} ${await response.text()}`);
    // The IPC bytes are decoded in the buffer they arrived in, not copied.
    return tableFromIPC(await response.bytes());
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await this.request(method, path, body);
    const text = await response.text().catch((error: unknown) => {
      // The master stopped halfway through its answer (the request's timeout also covers the body).
      throw isNetworkError(error) ? new ClusterLostError(redact(this.url), error) : error;
    });
    if (!response.ok) throw new Error(`cluster ${method} ${path} failed (HTTP ${response.status}): ${errorText(text)}`);
    return text ? JSON.parse(text) : undefined;
  }

  /** One request; no answer within lostAfterMs (headers; the body too unless `longBody`) means the master is lost. */
  private async request(method: string, path: string, body?: unknown, signal?: AbortSignal, longBody = false): Promise<HttpAnswer> {
    const timeout = AbortSignal.timeout(this.lostAfterMs);
    const headersTimeout = new AbortController();
    const timer = setTimeout(() => headersTimeout.abort(), this.lostAfterMs);
    const signals = [longBody ? headersTimeout.signal : timeout, ...(signal ? [signal] : [])];
    try {
      return await httpRequest(`${this.base}${path}`, {
        method,
        headers: { ...this.headers(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.any(signals),
        agent: this.agent,
      });
    } catch (error) {
      if (signal?.aborted) throw error;
      if (timeout.aborted || headersTimeout.signal.aborted || isNetworkError(error)) throw new ClusterLostError(redact(this.url), error);
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }
}

export function attachCluster(url: string, options: AttachOptions = {}): Cluster {
  return new ClusterClient(url, async () => {}, options);
}

async function* parseEvents(body: AsyncIterable<Uint8Array>, heard: () => void): AsyncGenerator<{ event: string; data: unknown }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body) {
    heard();
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data !== undefined) yield { event, data: JSON.parse(data) };
    }
  }
}

/** A refused, reset or broken connection, or a request aborted by its timeout. */
function isNetworkError(error: unknown): boolean {
  return error instanceof HttpNetworkError || (error instanceof Error && error.name === 'AbortError');
}

function abortError(message: string): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

function redact(url: string): string {
  return url.replace(/token=[^&]*/, 'token=***');
}

/** A result that came inline with 'succeeded': base64 Arrow IPC per partition, in order. */
function inlineTable(partitions: string[]): Table {
  const [first, ...rest] = partitions.map((ipc) => tableFromIPC(Buffer.from(ipc, 'base64')));
  return first ? first.concat(...rest) : new Table();
}

/** The master's error answers are `{ error }` JSON; anything else is shown as it came. */
function errorText(body: string): string {
  try {
    return (JSON.parse(body) as { error?: string }).error ?? body;
  } catch {
    return body;
  }
}
