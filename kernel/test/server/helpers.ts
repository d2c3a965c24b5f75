/** Test helpers: a server on a free port with a temp root, and @jupyterlab/services settings for it. */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ServerConnection } from '@jupyterlab/services';
import WebSocket from 'ws';
import { startServer, type RunningServer, type ServerOptions } from '../../src/server/server.js';

export interface TestServer {
  server: RunningServer;
  root: string;
  settings: ServerConnection.ISettings;
  logs: string[];
  stop(): Promise<void>;
}

export async function startTestServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'quire-serve-test-'));
  const logs: string[] = [];
  const server = await startServer({ root, port: 0, token: 'test-token', log: (line) => logs.push(line), ...options });
  const settings = settingsFor(server.url, 'test-token');
  return {
    server,
    root,
    settings,
    logs,
    async stop() {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** @jupyterlab/services settings for a server URL, with Node's WebSocket from `ws`. */
export function settingsFor(baseUrl: string, token: string): ServerConnection.ISettings {
  return ServerConnection.makeSettings({
    baseUrl,
    wsUrl: baseUrl.replace(/^http/, 'ws'),
    token,
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
  });
}
