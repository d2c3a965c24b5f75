/**
 * `/api/kernels/{id}/channels`: relays Jupyter messages between WebSocket clients and a kernel.
 * Negotiates `v1.kernel.websocket.jupyter.org` when the client offers it, else the legacy JSON
 * protocol. A malformed client message is logged and answered with a close only if the socket
 * itself is unusable; the server and the other clients carry on.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { KernelRegistry } from './kernel-registry.js';
import { MalformedMessageError, V1_PROTOCOL, decodeFromClient, encodeForClient, type WireProtocol } from './websocket-protocol.js';

export class KernelChannels {
  private readonly wss: WebSocketServer;

  constructor(
    private readonly kernels: KernelRegistry,
    private readonly log: (line: string) => void,
    maxMessageBytes: number,
  ) {
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: maxMessageBytes,
      handleProtocols: (protocols) => (protocols.has(V1_PROTOCOL) ? V1_PROTOCOL : false),
    });
  }

  /** Completes the upgrade for a kernel that exists (the caller has checked the token). */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, kernelId: string): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.connect(ws, kernelId));
  }

  private connect(ws: WebSocket, kernelId: string): void {
    const protocol = (ws.protocol === V1_PROTOCOL ? V1_PROTOCOL : '') as WireProtocol;
    const detach = this.kernels.attach(kernelId, (message) => {
      if (ws.readyState === ws.OPEN) ws.send(encodeForClient(message, protocol));
    });
    ws.on('close', detach);
    ws.on('error', (error) => this.log(`kernel ${kernelId} websocket error: ${error.message}`));
    ws.on('message', (data, isBinary) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      let message;
      try {
        message = decodeFromClient(bytes, isBinary, protocol);
      } catch (error) {
        if (!(error instanceof MalformedMessageError)) throw error;
        this.log(`kernel ${kernelId}: refused a malformed message (${bytes.length} bytes): ${error.message}`);
        return;
      }
      this.kernels.send(kernelId, message).catch((error: Error) => this.log(`kernel ${kernelId}: could not relay ${message.header.msg_type}: ${error.message}`));
    });
  }

  close(): void {
    for (const client of this.wss.clients) client.close(1001, 'server shutting down');
    this.wss.close();
  }
}
