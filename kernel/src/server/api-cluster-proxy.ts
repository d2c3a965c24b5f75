/**
 * `/api/cluster`, `/api/cluster/events`, `/api/cluster/jobs`, `/api/cluster/jobs/{id}...`: relayed to the
 * cluster master after this server's own token check, with the cluster's token added. The token never reaches
 * the client: the master's replies (its status reports its URL) are redacted. Replies are streamed as they
 * come, so the cluster's and a job's event streams reach the client live; a client that goes away closes the
 * upstream request.
 */
import http from 'node:http';
import { pipeline } from 'node:stream/promises';
import { HttpError } from './http-error.js';
import { readBody } from './http-kit.js';
import type { RouteContext, Router } from './router.js';
import { isRedactableText, redactingStream } from './token-redaction.js';

export function addClusterProxyRoutes(router: Router, clusterUrl: () => string | undefined, bodyLimit: number): void {
  const relay = async ({ request, response, url }: RouteContext): Promise<void> => {
    const target = clusterUrl();
    if (!target) throw new HttpError(503, 'no cluster is running');
    const base = new URL(target);
    const clusterToken = base.searchParams.get('token') ?? '';
    const upstream = new URL(url.pathname, base);
    for (const [key, value] of url.searchParams) if (key !== 'token') upstream.searchParams.append(key, value);
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await readBody(request, bodyLimit);
    const reply = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const forward = http.request(upstream, {
        method: request.method,
        headers: {
          authorization: `Bearer ${clusterToken}`,
          ...(request.headers.accept ? { accept: request.headers.accept } : {}),
          ...(body ? { 'content-type': request.headers['content-type'] ?? 'application/json', 'content-length': body.length } : {}),
        },
      }, resolve);
      forward.on('error', (error) => reject(new HttpError(502, `the cluster at ${base.host} did not answer: ${error.message}`)));
      // The client leaving (an event stream closed by the browser) ends the upstream request too.
      response.on('close', () => forward.destroy());
      forward.end(body);
    });
    const contentType = reply.headers['content-type'];
    response.writeHead(reply.statusCode ?? 502, {
      'content-type': contentType ?? 'application/json',
      'cache-control': 'no-store',
      ...(contentType?.startsWith('text/event-stream') ? { connection: 'keep-alive', 'x-accel-buffering': 'no' } : {}),
    });
    // Event streams start with a comment line; send the headers now rather than with the first event.
    response.flushHeaders();
    const stages = isRedactableText(contentType) ? [reply, redactingStream(clusterToken), response] as const : [reply, response] as const;
    try {
      await pipeline(stages);
    } catch (error) {
      // A client that disconnects mid-stream is the normal end of an event stream, not a failure.
      if (!response.destroyed || (error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    }
  };
  for (const method of ['GET', 'POST', 'DELETE']) {
    router.add(method, '/api/cluster', relay);
    router.add(method, '/api/cluster/*rest', relay);
  }
}
