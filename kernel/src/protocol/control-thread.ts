/**
 * Runs on its own worker thread so the heartbeat and the control channel answer while the main thread is
 * busy running a cell — even a synchronous infinite loop. An interrupt_request raises SIGINT in this process;
 * the cell runs with vm's `breakOnSigint`, so that breaks a synchronous loop, and the executor's SIGINT
 * listener cancels an awaited one. Everything else on control goes to the main thread.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as zmq from 'zeromq';
import { bindChannel, endpoint, type ConnectionInfo } from './connection.js';
import { Signer, WireError, createMessage, decode, encode } from './wire.js';
import type { ControlThreadEvent, MainThreadCommand } from './control-thread-messages.js';
import { InterruptRequests } from './interrupt-requests.js';

const { connection, session, interrupts } = workerData as { connection: ConnectionInfo; session: string; interrupts: SharedArrayBuffer };
const interruptRequests = new InterruptRequests(interrupts);
const signer = new Signer(connection.key);
const port = parentPort!;
const post = (event: ControlThreadEvent): void => port.postMessage(event);

const heartbeat = new zmq.Reply();
const control = new zmq.Router();
await bindChannel(heartbeat, 'heartbeat', endpoint(connection, connection.hb_port));
await bindChannel(control, 'control', endpoint(connection, connection.control_port));

port.on('message', (command: MainThreadCommand) => {
  if (command.kind === 'send') {
    control.send(command.frames.map((frame) => Buffer.from(frame))).catch((error: unknown) => {
      post({ kind: 'log', text: `control send failed: ${(error as Error).message}` });
    });
  } else if (command.kind === 'close') {
    heartbeat.close();
    control.close();
    port.close();
  }
});

void (async () => {
  for await (const frames of heartbeat) await heartbeat.send(frames);
})().catch((error: unknown) => post({ kind: 'log', text: `heartbeat stopped: ${(error as Error).message}` }));

post({ kind: 'ready' });

try {
  for await (const frames of control) {
    let message;
    try {
      message = decode(frames, signer);
    } catch (error) {
      if (!(error instanceof WireError)) throw error;
      post({ kind: 'log', text: `dropped a control message: ${error.message}` });
      continue;
    }
    if (message.header.msg_type === 'interrupt_request') {
      post({ kind: 'interrupted', header: message.header });
      interruptRequests.request();
      process.kill(process.pid, 'SIGINT');
      const reply = createMessage('interrupt_reply', { status: 'ok' }, message, session, message.identities);
      await control.send(encode(reply, signer));
      continue;
    }
    post({ kind: 'message', frames });
  }
} catch (error) {
  // Closing the socket ends the loop with an error of its own; anything else is worth telling.
  if (!control.closed) post({ kind: 'log', text: `control channel stopped: ${(error as Error).message}` });
}
