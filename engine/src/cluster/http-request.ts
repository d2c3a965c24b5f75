/**
 * Requests from the driver to the master over node:http with kept-alive connections. fetch() costs
 * milliseconds of CPU per request (WHATWG streams, per-request dispatch), and a job makes at least
 * four (submit, events, results, release), on a machine whose cores the workers need.
 */
import { Agent, request, type IncomingMessage } from 'node:http';

/** The connection failed or broke (refused, reset, closed mid-answer): the master may be gone. */
export class HttpNetworkError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'HttpNetworkError';
  }
}

export interface HttpRequestOptions {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Aborting ends the request and any body still being read. */
  signal: AbortSignal;
  agent: Agent;
}

export interface HttpAnswer {
  status: number;
  ok: boolean;
  /** The body as it arrives (an SSE stream reads it chunk by chunk). */
  body: AsyncIterable<Uint8Array>;
  text(): Promise<string>;
  bytes(): Promise<Uint8Array>;
}

/** A kept-alive connection pool for one cluster client; idle connections do not keep the process alive. */
export function keepAliveAgent(): Agent {
  return new Agent({ keepAlive: true });
}

export async function httpRequest(url: string, options: HttpRequestOptions): Promise<HttpAnswer> {
  try {
    return await attempt(url, options);
  } catch (error) {
    // A kept-alive connection the master closed while idle fails on reuse before the request reaches
    // it (Node's documented race): the request is sent once more, on a fresh connection.
    if (!(error instanceof StaleConnectionError)) throw error;
    return attempt(url, options);
  }
}

class StaleConnectionError extends HttpNetworkError {}

function attempt(url: string, options: HttpRequestOptions): Promise<HttpAnswer> {
  const { signal } = options;
  return new Promise<HttpAnswer>((resolve, reject) => {
    if (signal.aborted) return reject(abortError(signal));
    const req = request(url, { method: options.method, headers: options.headers, agent: options.agent });
    const onAbort = () => req.destroy(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal.removeEventListener('abort', onAbort);
    let answered = false;
    req.on('error', (error: NodeJS.ErrnoException) => {
      settle();
      if (answered) return; // the body reader reports it
      if (signal.aborted) return reject(abortError(signal));
      const stale = req.reusedSocket && error.code === 'ECONNRESET';
      reject(new (stale ? StaleConnectionError : HttpNetworkError)(`${options.method} ${url}: ${error.message}`, { cause: error }));
    });
    req.on('response', (response: IncomingMessage) => {
      answered = true;
      response.once('close', settle);
      resolve(answer(response, signal, `${options.method} ${url}`));
    });
    req.end(options.body);
  });
}

function answer(response: IncomingMessage, signal: AbortSignal, what: string): HttpAnswer {
  const status = response.statusCode ?? 0;
  async function* body(): AsyncGenerator<Uint8Array> {
    try {
      for await (const chunk of response) yield chunk as Buffer;
    } catch (error) {
      if (signal.aborted) throw abortError(signal);
      throw new HttpNetworkError(`${what}: the answer broke off (${error instanceof Error ? error.message : String(error)})`, { cause: error });
    }
  }
  const bytes = async (): Promise<Buffer> => {
    const chunks: Buffer[] = [];
    for await (const chunk of body()) chunks.push(chunk as Buffer);
    // One chunk is used as it came; several are joined once.
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  };
  // A broken answer is reported by whoever reads the body (every caller does); without a listener
  // here the same error would also be thrown as uncaught.
  response.on('error', () => {});
  return {
    status,
    ok: status >= 200 && status < 300,
    body: body(),
    bytes,
    text: async () => (await bytes()).toString('utf8'),
  };
}

function abortError(signal: AbortSignal): Error {
  if (signal.reason instanceof Error) return signal.reason;
  const error = new Error('the request was aborted');
  error.name = 'AbortError';
  return error;
}
