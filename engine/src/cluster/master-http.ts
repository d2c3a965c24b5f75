/**
 * The master's HTTP API on 127.0.0.1. Every request carries the cluster token (`?token=` or
 * `Authorization: Bearer`). Job events stream as Server-Sent Events.
 *   POST /api/jobs                      submit a PhysicalPlan          -> { jobId }
 *   POST /api/jobs?follow=1             submit, and follow as SSE: submitted { jobId }, then the job's
 *                                       events; a small result comes inline and the job is released
 *   GET  /api/jobs/{id}/events          progress / succeeded / failed / cancelled
 *   POST /api/jobs/{id}/cancel          stop every task of the job
 *   GET  /api/jobs/{id}/results/{n}     result partition n as an Arrow IPC stream
 *   POST /api/jobs/{id}/release         the driver has the result; drop the job's files
 *   GET  /api/cluster                   workers (with ~60 s of samples), jobs, target size
 *   GET  /api/cluster/jobs[/{id}]       job summaries; one job with stage timings and its event log
 *   POST /api/cluster/jobs/{id}/cancel  cancel a job from a monitor (the app's cluster panel), not its driver
 *   GET  /api/cluster/events            SSE of ClusterEvent: job log entries, worker states, samples, scaling
 *   POST /api/cluster/resize            { core?, task?, force? } -> ResizeResult (400 with the reason when refused)
 *   GET  /api/cluster/scaling           { decisions }: every resize and managed-scaling decision with its reason
 * Every event stream carries a `: ping` comment each second, so a client notices a silent master.
 */
import { open, readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { Job } from '../scheduler/job.js';
import type { Scheduler } from '../scheduler/scheduler.js';
import { KEEPALIVE_MS } from './client.js';
import type { ClusterEvents } from './cluster-events.js';
import type { ClusterSizer } from './cluster-sizer.js';
import { INLINE_RESULT_BYTES, type JobEvent, type SubmitJobRequest } from './protocol.js';
import { ResultLostError, type ClusterEvent, type ClusterStatus, type ResizeRequest } from './types.js';

const MAX_BODY_BYTES = 256 * 1024 * 1024;
/** How often a job's event stream carries its progress at most. */
export const PROGRESS_INTERVAL_MS = 50;

export interface MasterHttpOptions {
  token: string;
  scheduler: Scheduler;
  sizer: ClusterSizer;
  events: ClusterEvents;
  status(): ClusterStatus;
}

/** 410 Gone tells the driver to run the job again (see ResultLostError). */
async function resultHandle(resultFile: () => string) {
  try {
    return await open(resultFile(), 'r');
  } catch (error) {
    const lost = error instanceof ResultLostError || (error as NodeJS.ErrnoException).code === 'ENOENT';
    if (lost) throw new HttpError(410, error instanceof Error ? error.message : String(error));
    throw error;
  }
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export function createMasterServer(options: MasterHttpOptions): Server {
  return createServer((request, response) => {
    handle(options, request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (!response.headersSent) sendJson(response, status, { error: error instanceof Error ? error.message : String(error) });
      else response.end();
    });
  });
}

async function handle(options: MasterHttpOptions, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  if (!authorized(options.token, request, url)) throw new HttpError(401, 'missing or wrong cluster token');
  const { scheduler } = options;
  const path = url.pathname.replace(/\/+$/, '');
  const jobRoute = /^\/api\/(?:cluster\/)?jobs\/([^/]+)(?:\/(events|cancel|release|results\/(\d+)))?$/.exec(path);
  const job = () => {
    const found = scheduler.jobs.get(jobRoute![1]!);
    if (!found) throw new HttpError(404, `no job ${jobRoute![1]}`);
    return found;
  };
  const method = request.method ?? 'GET';
  if (method === 'POST' && path === '/api/jobs') {
    const body = parseJson(await readBody(request)) as SubmitJobRequest;
    const submitted = await scheduler.submit(body.plan, body.description, body.owner).catch((error: unknown) => {
      throw new HttpError(400, error instanceof Error ? error.message : String(error));
    });
    if (url.searchParams.get('follow') === '1') return streamEvents(submitted, request, response, scheduler);
    return sendJson(response, 200, { jobId: submitted.id });
  }
  if (method === 'GET' && path === '/api/cluster') return sendJson(response, 200, options.status());
  if (method === 'GET' && path === '/api/cluster/events') return streamClusterEvents(options.events, request, response);
  if (method === 'GET' && path === '/api/cluster/scaling') return sendJson(response, 200, { decisions: options.events.decisions });
  if (method === 'POST' && path === '/api/cluster/resize') {
    const body = parseJson(await readBody(request)) as ResizeRequest;
    try {
      return sendJson(response, 200, options.sizer.resize(body));
    } catch (error) {
      throw new HttpError(400, error instanceof Error ? error.message : String(error));
    }
  }
  if (method === 'GET' && path === '/api/cluster/jobs') {
    return sendJson(response, 200, { jobs: [...scheduler.jobs.values()].map((j) => j.summary()) });
  }
  const action = `${method} ${path.startsWith('/api/cluster/') ? 'cluster:' : ''}${jobRoute?.[2]?.replace(/\/\d+$/, '') ?? (jobRoute ? 'job' : '')}`;
  switch (action) {
    case 'GET cluster:job': {
      return sendJson(response, 200, job().detail());
    }
    case 'GET events':
      return streamEvents(job(), request, response);
    case 'POST cancel':
      scheduler.cancel(job().id, 'cancelled by the driver');
      return sendJson(response, 200, { ok: true });
    case 'POST cluster:cancel':
      scheduler.cancel(job().id, 'cancelled by a user through the cluster API');
      return sendJson(response, 200, { ok: true });
    case 'GET results': {
      // Opened before answering: an open file stays readable even if its worker's scratch dir goes next.
      const handle = await resultHandle(() => scheduler.resultFile(job().id, Number(jobRoute![3])));
      response.writeHead(200, { 'content-type': 'application/vnd.apache.arrow.stream' });
      handle.createReadStream().on('error', (error) => response.destroy(error)).pipe(response);
      return;
    }
    case 'POST release':
      scheduler.release(job().id);
      return sendJson(response, 200, { ok: true });
    default:
      throw new HttpError(404, `no route ${method} ${url.pathname}`);
  }
}

/**
 * The job's events until its terminal one. A stream opened at submission (`submittedBy`) starts with
 * 'submitted' and carries a small result inline: the driver then needs no request to fetch it and
 * none to release it.
 */
function streamEvents(job: Job, request: IncomingMessage, response: ServerResponse, submittedBy?: Scheduler): void {
  openEventStream(request, response);
  const send = (event: JobEvent) => response.write(`event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`);
  let ended = false;
  // Progress goes out at most every PROGRESS_INTERVAL_MS, the latest each time: a job of many short
  // tasks changes its progress hundreds of times a second, more than anyone watching can see.
  let latest: JobEvent | undefined;
  let throttle: NodeJS.Timeout | undefined;
  const sendLatest = () => {
    throttle = undefined;
    if (!latest || ended) return;
    send(latest);
    latest = undefined;
    throttle = setTimeout(sendLatest, PROGRESS_INTERVAL_MS);
  };
  const detach = () => {
    job.listeners.delete(write);
    clearTimeout(throttle);
  };
  function write(event: JobEvent): void {
    if (ended) return;
    if (event.event === 'progress') {
      latest = event;
      if (!throttle) sendLatest();
      return;
    }
    if (latest) send(latest);
    ended = true;
    detach();
    const terminal = submittedBy && event.event === 'succeeded' ? withInlineResult(submittedBy, job, event) : Promise.resolve(event);
    void terminal.then((last) => {
      send(last);
      response.end();
    });
  }
  if (submittedBy) send({ event: 'submitted', data: { jobId: job.id } });
  send({ event: 'progress', data: job.progress() });
  if (job.terminalEvent) return write(job.terminalEvent);
  job.listeners.add(write);
  // The response's close, not the request's: a request whose body was read (a submission) closes then.
  response.on('close', () => {
    detach();
    // A job lives as long as the stream it was submitted on: its driver is gone.
    if (submittedBy && !ended && job.state === 'running') submittedBy.cancel(job.id, 'the driver that submitted it disconnected');
  });
}

/** The 'succeeded' event with every result partition inline when they are small, the job then released. */
async function withInlineResult(scheduler: Scheduler, job: Job, event: Extract<JobEvent, { event: 'succeeded' }>): Promise<JobEvent> {
  const outcome = event.data;
  if (outcome.kind !== 'result' || scheduler.resultBytes(job.id) > INLINE_RESULT_BYTES) return event;
  let inline: string[];
  try {
    inline = await Promise.all(Array.from({ length: outcome.partitions }, async (_, partition) =>
      (await readFile(scheduler.resultFile(job.id, partition))).toString('base64')));
  } catch {
    // A partition lost with its worker: the driver fetches the partitions itself and is told of the loss (410) as usual.
    return event;
  }
  scheduler.release(job.id);
  return { event: 'succeeded', data: { ...outcome, inline } };
}

function streamClusterEvents(events: ClusterEvents, request: IncomingMessage, response: ServerResponse): void {
  openEventStream(request, response);
  const unsubscribe = events.subscribe((event: ClusterEvent) => response.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`));
  response.on('close', unsubscribe);
}

/** Starts an SSE response with a ping every KEEPALIVE_MS, by which clients tell a live master from a silent one. */
function openEventStream(request: IncomingMessage, response: ServerResponse): void {
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  response.write(': connected\n\n');
  const ping = setInterval(() => response.write(': ping\n\n'), KEEPALIVE_MS);
  response.on('close', () => clearInterval(ping));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, `the request body is not JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function authorized(token: string, request: IncomingMessage, url: URL): boolean {
  const header = request.headers.authorization;
  const given = url.searchParams.get('token') ?? (header?.startsWith('Bearer ') ? header.slice(7) : '');
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, `request body is larger than ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}
