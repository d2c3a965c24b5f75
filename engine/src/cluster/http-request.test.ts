import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpNetworkError, httpRequest, keepAliveAgent } from './http-request.js';

const servers: Server[] = [];
const agent = keepAliveAgent();

async function serve(handle: (response: ServerResponse, socket: Socket) => void): Promise<string> {
  const server = createServer((request, response) => handle(response, request.socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const get = (url: string, signal = new AbortController().signal) => httpRequest(url, { method: 'GET', headers: {}, signal, agent });

afterEach(async () => {
  agent.destroy();
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

describe('httpRequest', () => {
  it('sends again, on a fresh connection, a request whose kept-alive connection the server had dropped', async () => {
    const served = new WeakSet<Socket>();
    const url = await serve((response, socket) => {
      // A second request on a connection: the server had already let it go.
      if (served.has(socket)) return socket.destroy();
      served.add(socket);
      response.end('fresh');
    });
    expect(await (await get(url)).text()).toBe('fresh');
    expect(await (await get(url)).text()).toBe('fresh');
  });

  it('reports a refused connection as a network error', async () => {
    const url = await serve((response) => response.end());
    await new Promise((resolve) => servers.pop()!.close(resolve));
    await expect(get(url)).rejects.toBeInstanceOf(HttpNetworkError);
  });

  it('reports an answer that breaks off as a network error', async () => {
    const url = await serve((response, socket) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('only part', () => socket.destroy());
    });
    const answer = await get(url);
    await expect(answer.text()).rejects.toBeInstanceOf(HttpNetworkError);
  });

  it('ends a body being read when the signal aborts, with the signal\'s reason', async () => {
    const url = await serve((response) => {
      response.writeHead(200);
      response.write('first chunk');
    });
    const controller = new AbortController();
    const answer = await get(url, controller.signal);
    const reason = new Error('stopped by the caller');
    setTimeout(() => controller.abort(reason), 50);
    await expect(answer.text()).rejects.toBe(reason);
  });
});
