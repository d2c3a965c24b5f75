/**
 * `/api/cluster`, `/api/cluster/jobs`, `/api/cluster/jobs/{id}...`: relayed to the cluster master
 * after this server's own token check, with the cluster's token added (it never reaches the client).
 */
import http from 'node:http';
import { HttpError } from './http-error.js';
import { readBody } from './http-kit.js';
import type { RouteContext, Router } from './router.js';

export function addClusterProxyRoutes(router: Router, clusterUrl: () => string | undefined, bodyLimit: number): void {
  const relay = async ({ request, response, url }: RouteContext): Promise<void> => {
    const target = clusterUrl();
    if (!target) throw new HttpError(503, 'no cluster is running');
    const base = new URL(target);
    const clusterToken = base.searchParams.get('token') ?? '';
    const upstream = new URL(url.pathname, base);
    for (const [key, value] of url.searchParams) if (key !== 'token') upstream.searchParams.append(key, value);
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await readBody(request, bodyLimit);
    await new Promise<void>((resolve, reject) => {
      const forward = http.request(
        upstream,
        { method: request.method, headers: { authorization: `Bearer ${clusterToken}`, ...(body ? { 'content-type': request.headers['content-type'] ?? 'application/json', 'content-length': body.length } : {}) } },
        (reply) => {
          response.writeHead(reply.statusCode ?? 502, { 'content-type': reply.headers['content-type'] ?? 'application/json', 'cache-control': 'no-store' });
          reply.pipe(response);
          reply.on('end', resolve);
          reply.on('error', reject);
        },
      );
      forward.on('error', (error) => reject(new HttpError(502, `the cluster at ${base.host} did not answer: ${error.message}`)));
      forward.end(body);
    });
  };
  for (const method of ['GET', 'POST', 'DELETE']) {
    router.add(method, '/api/cluster', relay);
    router.add(method, '/api/cluster/*rest', relay);
  }
}
