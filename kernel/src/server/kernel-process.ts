/**
 * One running kernel: its process (in its own process group, so a terminal's Ctrl-C reaches only the
 * server, which then shuts kernels down itself), its connection file, and the ZeroMQ sockets the
 * server talks to it through. Messages from the kernel are handed to one listener.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import * as zmq from 'zeromq';
import { MessageSigner, type Channel, type JupyterMessage } from './jupyter-message.js';
import type { KernelSpecEntry } from './kernelspecs.js';

export interface KernelLaunch {
  spec: KernelSpecEntry;
  cwd: string;
  env: Record<string, string>;
  onMessage(message: JupyterMessage): void;
  onExit(code: number | null, signal: NodeJS.Signals | null): void;
  log(line: string): void;
}

const START_ATTEMPTS = 3;
const START_OUTPUT_KEPT = 2000;

type PortName = 'shell_port' | 'iopub_port' | 'stdin_port' | 'control_port' | 'hb_port';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class KernelProcess {
  private child!: ChildProcess;
  private sockets!: { shell: zmq.Dealer; control: zmq.Dealer; stdin: zmq.Dealer; iopub: zmq.Subscriber };
  private signer!: MessageSigner;
  private tempDir!: string;
  private exited = false;
  /** Exits before start() returns are start()'s to report; only later ones reach launch.onExit. */
  private started = false;
  /** The kernel said, while starting, that an address it was to bind is in use. */
  private portTaken = false;
  /** The end of what the kernel printed while starting, for the error if it never comes up. */
  private startOutput = '';
  private outputEnded!: Promise<void>;
  private launchError: Error | undefined;
  /** msg_ids of the server's own readiness probes; their replies are not relayed to clients. */
  private readonly probes = new Set<string>();
  private probeAnswered: { shell: boolean; iopub: boolean } = { shell: false, iopub: false };
  readonly session = randomUUID();

  private constructor(private readonly launch: KernelLaunch) {}

  /**
   * Ports are picked free here and bound by the kernel a moment later; in between another process can take
   * one (an outgoing connection gets an ephemeral port from the same range). A kernel that exits saying a
   * port is in use is started again on fresh ports, as many times as START_ATTEMPTS allows.
   */
  static async start(launch: KernelLaunch, readyTimeoutMs = 60_000): Promise<KernelProcess> {
    for (let attempt = 1; ; attempt++) {
      const kernel = new KernelProcess(launch);
      await kernel.spawn();
      try {
        await kernel.waitUntilReady(readyTimeoutMs);
        kernel.started = true;
        return kernel;
      } catch (error) {
        await kernel.shutdown({ graceMs: 500 });
        if (!kernel.portTaken || attempt >= START_ATTEMPTS) throw error;
        launch.log(`a port was taken before the kernel could bind it; starting again on other ports (attempt ${attempt + 1} of ${START_ATTEMPTS})`);
      }
    }
  }

  /**
   * Repeats kernel_info_request until both a shell reply and an iopub message come back, like
   * Jupyter Server's "nudge": the first messages to a kernel that is still binding its sockets can be
   * lost, and iopub subscriptions take a moment to join.
   */
  private async waitUntilReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(this.probeAnswered.shell && this.probeAnswered.iopub)) {
      if (this.launchError) throw new Error(`kernel ${this.launch.spec.name} could not be started (${this.launch.spec.spec.argv[0]}): ${this.launchError.message}`);
      if (this.exited) {
        // Its last words may still be in the pipe after the exit.
        await Promise.race([this.outputEnded, new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
        const said = this.startOutput.trim();
        throw new Error(`kernel ${this.launch.spec.name} exited while starting${said ? `; its last output:\n${said}` : ' without any output'}`);
      }
      if (Date.now() > deadline) throw new Error(`kernel ${this.launch.spec.name} did not answer kernel_info_request within ${timeoutMs} ms`);
      const probe = this.makeMessage('shell', 'kernel_info_request', {});
      this.probes.add(probe.header.msg_id);
      await this.send(probe);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exited;
  }

  private async spawn(): Promise<void> {
    const key = randomUUID();
    this.signer = new MessageSigner(key);
    this.tempDir = await mkdtemp(path.join(os.tmpdir(), 'quire-kernel-'));
    const connectionFile = path.join(this.tempDir, 'connection.json');
    const ports = {} as Record<PortName, number>;
    for (const name of ['shell_port', 'iopub_port', 'stdin_port', 'control_port', 'hb_port'] as PortName[]) ports[name] = await freePort();
    const connection = { ...ports, ip: '127.0.0.1', transport: 'tcp', signature_scheme: 'hmac-sha256', key, kernel_name: this.launch.spec.name };
    await writeFile(connectionFile, JSON.stringify(connection), { mode: 0o600 });

    const resourceDir = this.launch.spec.resourceDir ?? this.tempDir;
    const argv = this.launch.spec.spec.argv.map((arg) => arg.replaceAll('{connection_file}', connectionFile).replaceAll('{resource_dir}', resourceDir));
    this.child = spawn(argv[0], argv.slice(1), {
      cwd: this.launch.cwd,
      // JPY_PARENT_PID makes ipykernel exit by itself if this server dies without shutting it down.
      env: { ...process.env, ...this.launch.spec.spec.env, ...this.launch.env, JPY_PARENT_PID: String(process.pid) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const relay = (chunk: Buffer): void => {
      const text = chunk.toString('utf8').trimEnd();
      // Quire's kernel and ipykernel (ZMQError) both say it in libzmq's words.
      if (!this.started) {
        if (text.includes('Address already in use')) this.portTaken = true;
        this.startOutput = (this.startOutput + text + '\n').slice(-START_OUTPUT_KEPT);
      }
      this.launch.log(text);
    };
    this.child.stdout?.on('data', relay);
    this.child.stderr?.on('data', relay);
    const child = this.child;
    this.outputEnded = new Promise((resolve) => child.once('close', () => resolve()));
    this.child.once('error', (error) => {
      // A kernel whose program cannot be started emits 'error' and no 'exit'.
      this.launchError = error;
      this.exited = true;
    });
    this.child.once('exit', (code, signal) => {
      this.exited = true;
      if (this.started) this.launch.onExit(code, signal);
    });

    const routingId = `quire-${this.session}`;
    const url = (port: number) => `tcp://127.0.0.1:${port}`;
    this.sockets = {
      shell: new zmq.Dealer({ routingId, linger: 0 }),
      control: new zmq.Dealer({ routingId, linger: 0 }),
      stdin: new zmq.Dealer({ routingId, linger: 0 }),
      iopub: new zmq.Subscriber({ linger: 0 }),
    };
    this.sockets.shell.connect(url(ports.shell_port));
    this.sockets.control.connect(url(ports.control_port));
    this.sockets.stdin.connect(url(ports.stdin_port));
    this.sockets.iopub.connect(url(ports.iopub_port));
    this.sockets.iopub.subscribe();
    for (const channel of ['shell', 'control', 'stdin', 'iopub'] as Channel[]) void this.receive(channel);
  }

  private async receive(channel: Channel): Promise<void> {
    const socket = this.sockets[channel];
    try {
      for await (const frames of socket) {
        try {
          const message = this.signer.decode(channel, frames);
          if (this.probes.has(String(message.parent_header.msg_id))) {
            this.probeAnswered[channel === 'shell' ? 'shell' : 'iopub'] = true;
            continue;
          }
          this.launch.onMessage(message);
        } catch (error) {
          this.launch.log(`dropped a message from the kernel: ${(error as Error).message}`);
        }
      }
    } catch (error) {
      if (!socket.closed) this.launch.log(`${channel} socket failed: ${(error as Error).message}`);
    }
  }

  async send(message: JupyterMessage): Promise<void> {
    if (message.channel === 'iopub') throw new Error('cannot send on iopub');
    const socket = this.sockets[message.channel];
    await socket.send(this.signer.encode(message));
  }

  makeMessage(channel: Channel, msgType: string, content: Record<string, unknown>): JupyterMessage {
    return {
      channel,
      header: { msg_id: randomUUID(), msg_type: msgType, session: this.session, username: 'quire', date: new Date().toISOString(), version: '5.3' },
      parent_header: {},
      metadata: {},
      content,
      buffers: [],
    };
  }

  /** SIGINT to the kernel's process group for signal-mode kernels; an interrupt_request otherwise. */
  async interrupt(): Promise<void> {
    if (this.launch.spec.spec.interrupt_mode === 'message') {
      await this.send(this.makeMessage('control', 'interrupt_request', {}));
    } else {
      this.signal('SIGINT');
    }
  }

  private signal(signal: NodeJS.Signals, evenAfterExit = false): void {
    if ((this.exited && !evenAfterExit) || this.child.pid === undefined) return;
    try {
      process.kill(-this.child.pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }

  /** Asks politely (shutdown_request), then SIGTERM, then SIGKILL the whole process group. */
  async shutdown(options: { restart?: boolean; graceMs?: number } = {}): Promise<void> {
    const grace = options.graceMs ?? 3000;
    if (!this.exited) {
      const exited = new Promise<void>((resolve) => (this.exited ? resolve() : this.child.once('exit', () => resolve())));
      const within = (ms: number) => Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
      await this.send(this.makeMessage('control', 'shutdown_request', { restart: options.restart ?? false })).catch(() => undefined);
      if (!(await within(grace))) {
        this.signal('SIGTERM');
        if (!(await within(grace))) {
          this.signal('SIGKILL');
          await exited;
        }
      }
    }
    // The kernel may have left children in its group; they go with it.
    this.signal('SIGKILL', true);
    for (const socket of Object.values(this.sockets)) socket.close();
    await rm(this.tempDir, { recursive: true, force: true });
  }
}
