/**
 * The kernel's end of the five Jupyter channels. Shell, stdin and iopub live on the main thread; heartbeat and
 * control live on a worker thread (control-thread.ts) so they keep answering while a cell runs.
 */
import { Worker } from 'node:worker_threads';
import * as zmq from 'zeromq';
import { bindChannel, endpoint, type ConnectionInfo } from './connection.js';
import type { ControlThreadEvent, MainThreadCommand } from './control-thread-messages.js';
import { afterPoll } from './after-poll.js';
import { InterruptRequests } from './interrupt-requests.js';
import type { Header, Message } from './messages.js';
import { Signer, WireError, decode, encode } from './wire.js';

export type IncomingHandler = (channel: 'shell' | 'control', message: Message) => Promise<void>;

export class KernelSockets {
  readonly signer: Signer;
  private readonly shell = new zmq.Router();
  private readonly stdin = new zmq.Router();
  private readonly iopub = new zmq.Publisher();
  private controlThread: Worker | undefined;
  /** Interrupt requests the control thread counts before it raises SIGINT. */
  readonly interrupts = new InterruptRequests();
  /** iopub sends are queued so messages keep their order (a zeromq socket allows one send at a time). */
  private iopubQueue: Promise<void> = Promise.resolve();

  constructor(
    private readonly connection: ConnectionInfo,
    private readonly session: string,
    private readonly log: (text: string) => void,
  ) {
    this.signer = new Signer(connection.key);
  }

  async bind(onInterrupt: (header: Header) => void): Promise<void> {
    await bindChannel(this.shell, 'shell', endpoint(this.connection, this.connection.shell_port));
    await bindChannel(this.stdin, 'stdin', endpoint(this.connection, this.connection.stdin_port));
    await bindChannel(this.iopub, 'iopub', endpoint(this.connection, this.connection.iopub_port));
    this.controlThread = startControlThread(this.connection, this.session, this.interrupts.buffer);
    this.controlThread.on('message', (event: ControlThreadEvent) => {
      if (event.kind === 'log') this.log(event.text);
      else if (event.kind === 'interrupted') onInterrupt(event.header);
      else if (event.kind === 'message') this.onControl?.(event.frames.map((frame) => Buffer.from(frame)));
    });
    this.controlThread.on('error', (error) => this.log(`control thread failed: ${error.stack ?? error.message}`));
    await new Promise<void>((resolve, reject) => {
      this.controlThread!.once('message', (event: ControlThreadEvent) => (event.kind === 'ready' ? resolve() : undefined));
      this.controlThread!.once('error', reject);
    });
  }

  private onControl: ((frames: Buffer[]) => void) | undefined;
  private readonly shellQueue: Message[] = [];

  /** Delivers every correctly signed message; a badly signed or malformed one is logged and dropped. */
  async serve(handle: IncomingHandler): Promise<void> {
    const deliver = (channel: 'shell' | 'control', frames: Buffer[]): Message | undefined => {
      try {
        return decode(frames, this.signer);
      } catch (error) {
        if (!(error instanceof WireError)) throw error;
        this.log(`dropped a ${channel} message: ${error.message}`);
        return undefined;
      }
    };
    // Control messages run as soon as they arrive, even while a shell request is being handled.
    this.onControl = (frames) => {
      const message = deliver('control', frames);
      if (message) handle('control', message).catch((error: unknown) => this.log(`control handler failed: ${(error as Error).stack}`));
    };
    // Shell requests are read as they arrive into a queue of our own and handled one at a time, so the
    // kernel knows which requests arrived before a given moment (see arrivedShellRequests).
    let wake: (() => void) | undefined;
    let ended = false;
    const reader = (async () => {
      try {
        for await (const frames of this.shell) {
          const message = deliver('shell', frames);
          if (message) this.shellQueue.push(message);
          wake?.();
        }
      } catch (error) {
        if (!this.shell.closed) throw error;
      } finally {
        ended = true;
        wake?.();
      }
    })();
    for (;;) {
      const next = this.shellQueue.shift();
      if (next) {
        await handle('shell', next);
        continue;
      }
      if (ended) break;
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
    await reader;
  }

  /**
   * Whether shell requests are waiting, received but not yet handled. The socket itself is not asked
   * (`readable`): reading its events while the reader waits to receive can take the wake-up that reader
   * waits for, and a request then sits in the socket unread.
   */
  hasQueuedShellRequests(): boolean {
    return this.shellQueue.length > 0;
  }

  /**
   * The shell requests that have arrived and wait to be handled, once the event loop has been through
   * its poll phase (where the reader takes what the socket holds). What arrives later is not among them:
   * a reply sent after this call cannot have caused it.
   */
  async arrivedShellRequests(): Promise<readonly Message[]> {
    await afterPoll();
    return [...this.shellQueue];
  }

  send(channel: 'shell' | 'control' | 'iopub', message: Message): Promise<void> {
    const frames = encode(message, this.signer);
    if (channel === 'control') {
      const command: MainThreadCommand = { kind: 'send', frames };
      this.controlThread!.postMessage(command);
      return Promise.resolve();
    }
    if (channel === 'shell') return this.shell.send(frames);
    this.iopubQueue = this.iopubQueue.then(() => this.iopub.send(frames)).catch((error: unknown) => this.log(`iopub send failed: ${(error as Error).message}`));
    return this.iopubQueue;
  }

  async close(): Promise<void> {
    await this.iopubQueue;
    if (this.controlThread && this.controlThread.threadId !== -1) {
      const thread = this.controlThread;
      const exited = new Promise((resolve) => thread.once('exit', resolve));
      const command: MainThreadCommand = { kind: 'close' };
      thread.postMessage(command);
      await exited;
    }
    this.shell.close();
    this.stdin.close();
    this.iopub.close();
  }
}

function startControlThread(connection: ConnectionInfo, session: string, interrupts: SharedArrayBuffer): Worker {
  // Workers do not inherit the tsx loader registered on the main thread, so the entry registers it first.
  const entry = new URL('./control-thread.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import(${JSON.stringify(tsx)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(entry)}); });`;
  return new Worker(bootstrap, { eval: true, workerData: { connection, session, interrupts } });
}
