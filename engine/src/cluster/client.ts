/** The driver's side of the master's HTTP API: submit, follow, cancel and collect jobs. */
import { Table, tableFromIPC } from 'apache-arrow';
import type { PhysicalPlan } from '../physical/types.js';
import type { JobEvent, JobOutcome, SubmitJobRequest, SubmitJobResponse } from './protocol.js';
import type { Cluster, ClusterStatus, JobResult, RunJobOptions } from './types.js';

export class ClusterClient implements Cluster {
  private readonly base: string;
  private readonly token: string;

  constructor(readonly url: string, private readonly onStop: () => Promise<void> = async () => {}) {
    const parsed = new URL(url);
    const token = parsed.searchParams.get('token');
    if (!token) throw new Error(`cluster URL ${redact(url)} has no token; expected http://127.0.0.1:PORT/?token=T`);
    this.token = token;
    this.base = `${parsed.protocol}//${parsed.host}`;
  }

  async runJob(plan: PhysicalPlan, opts: RunJobOptions = {}): Promise<JobResult> {
    opts.signal?.throwIfAborted();
    const request: SubmitJobRequest = { plan, description: opts.description, owner: opts.owner };
    const { jobId } = (await this.call('POST', '/api/jobs', request)) as SubmitJobResponse;
    const onAbort = () => void this.call('POST', `/api/jobs/${jobId}/cancel`).catch(() => undefined);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const outcome = await this.follow(jobId, opts);
      if (outcome.kind === 'written') return { jobId, written: outcome.written };
      const table = await this.collect(jobId, outcome.partitions, opts.signal);
      return { jobId, table, rowCount: table.numRows };
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
    }
  }

  status(): Promise<ClusterStatus> {
    return this.call('GET', '/api/cluster') as Promise<ClusterStatus>;
  }

  stop(): Promise<void> {
    return this.onStop();
  }

  /** Reads the job's event stream until it ends; rejects on failure or cancellation. */
  private async follow(jobId: string, opts: RunJobOptions): Promise<JobOutcome> {
    const abort = new AbortController();
    const onAbort = () => abort.abort(opts.signal?.reason);
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await fetch(`${this.base}/api/jobs/${jobId}/events`, { headers: this.headers(), signal: abort.signal });
      if (!response.ok || !response.body) throw new Error(`following job ${jobId} failed: HTTP ${response.status} ${await response.text()}`);
      for await (const event of parseEvents(response.body)) {
        switch (event.event) {
          case 'progress':
            opts.onProgress?.(event.data);
            break;
          case 'succeeded':
            return event.data;
          case 'failed':
            throw new Error(event.data.error);
          case 'cancelled':
            throw abortError(`job ${jobId} was cancelled: ${event.data.reason}`);
        }
      }
      throw new Error(`the master closed job ${jobId}'s event stream before the job ended`);
    } catch (error) {
      if (opts.signal?.aborted) throw abortError(`job ${jobId} was cancelled`);
      throw error;
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      abort.abort();
    }
  }

  private async collect(jobId: string, partitions: number, signal: AbortSignal | undefined): Promise<Table> {
    try {
      const tables: Table[] = [];
      for (let partition = 0; partition < partitions; partition++) {
        const response = await fetch(`${this.base}/api/jobs/${jobId}/results/${partition}`, { headers: this.headers(), signal });
        if (!response.ok) throw new Error(`fetching result partition ${partition} of job ${jobId} failed: HTTP ${response.status} ${await response.text()}`);
        tables.push(tableFromIPC(new Uint8Array(await response.arrayBuffer())));
      }
      const [first, ...rest] = tables;
      return first ? first.concat(...rest) : new Table();
    } finally {
      await this.call('POST', `/api/jobs/${jobId}/release`);
    }
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...this.headers(), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: string }).error ?? text;
      } catch {
        // not JSON: keep the raw text as the message
      }
      throw new Error(`cluster ${method} ${path} failed (HTTP ${response.status}): ${message}`);
    }
    return text ? JSON.parse(text) : undefined;
  }

  private headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }
}

export function attachCluster(url: string): Cluster {
  return new ClusterClient(url);
}

async function* parseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<JobEvent> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (event && data !== undefined) yield { event, data: JSON.parse(data) } as JobEvent;
    }
  }
}

function abortError(message: string): Error {
  const error = new Error(message);
  error.name = 'AbortError';
  return error;
}

function redact(url: string): string {
  return url.replace(/token=[^&]*/, 'token=***');
}
