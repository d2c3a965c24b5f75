/**
 * The kernels this server runs (`/api/kernels`): start, list, interrupt, restart, shut down, and the
 * fan-out of each kernel's messages to the WebSocket clients attached to it.
 */
import { randomUUID } from 'node:crypto';
import type { JupyterMessage } from './jupyter-message.js';
import { KernelProcess } from './kernel-process.js';
import type { KernelSpecCatalog } from './kernelspecs.js';
import { HttpError } from './http-error.js';

export interface KernelModel {
  id: string;
  name: string;
  last_activity: string;
  execution_state: string;
  connections: number;
}

export type KernelClient = (message: JupyterMessage) => void;

/** Where a kernel runs and what it is told about the notebook it serves. */
export interface KernelPlacement {
  /** The kernel's working folder (the notebook's); the server's folder when absent. */
  cwd?: string;
  /** Environment for this kernel only, over the registry's (JPY_SESSION_NAME: the notebook's path). */
  env?: Record<string, string>;
}

export interface KernelRegistryOptions {
  catalog: KernelSpecCatalog;
  cwd: string;
  /** Extra environment for every kernel (QUIRE_CLUSTER). */
  env: Record<string, string>;
  log(line: string): void;
}

class RunningKernel {
  process!: KernelProcess;
  executionState = 'starting';
  lastActivity = new Date();
  readonly clients = new Set<KernelClient>();
  restarting = false;
  /** Settles when the current (or restarting) process can take messages; sends wait on it. */
  ready: Promise<unknown> = Promise.resolve();

  constructor(
    readonly id: string,
    readonly name: string,
    /** Where and with what environment it was started: a restart starts it the same way. */
    readonly placement: KernelPlacement,
  ) {}

  model(): KernelModel {
    return {
      id: this.id,
      name: this.name,
      last_activity: this.lastActivity.toISOString(),
      execution_state: this.executionState,
      connections: this.clients.size,
    };
  }

  deliver(message: JupyterMessage): void {
    this.lastActivity = new Date();
    if (message.channel === 'iopub' && message.header.msg_type === 'status') {
      this.executionState = String(message.content.execution_state ?? this.executionState);
    }
    for (const client of this.clients) client(message);
  }
}

export class KernelRegistry {
  private readonly kernels = new Map<string, RunningKernel>();

  constructor(private readonly options: KernelRegistryOptions) {}

  list(): KernelModel[] {
    return [...this.kernels.values()].map((kernel) => kernel.model());
  }

  get(id: string): KernelModel {
    return this.find(id).model();
  }

  has(id: string): boolean {
    return this.kernels.has(id);
  }

  private find(id: string): RunningKernel {
    const kernel = this.kernels.get(id);
    if (!kernel) throw new HttpError(404, `no kernel with id ${id}`);
    return kernel;
  }

  async start(name: string | undefined, placement: KernelPlacement = {}): Promise<KernelModel> {
    const specName = name || (await this.options.catalog.defaultName());
    const spec = await this.options.catalog.get(specName);
    if (!spec) throw new HttpError(404, `no kernelspec named '${specName}'`);
    const kernel = new RunningKernel(randomUUID(), specName, placement);
    kernel.process = await this.launch(kernel, spec);
    // The launch waited for a kernel_info_reply, so the kernel is up and waiting for work.
    kernel.executionState = 'idle';
    this.kernels.set(kernel.id, kernel);
    return kernel.model();
  }

  private async launch(kernel: RunningKernel, spec: NonNullable<Awaited<ReturnType<KernelSpecCatalog['get']>>>): Promise<KernelProcess> {
    const log = (line: string) => this.options.log(`[kernel ${kernel.id.slice(0, 8)} ${kernel.name}] ${line}`);
    const launched = await KernelProcess.start({
      spec,
      cwd: kernel.placement.cwd ?? this.options.cwd,
      env: { ...this.options.env, ...kernel.placement.env },
      log,
      onMessage: (message) => kernel.deliver(message),
      onExit: (code, signal) => {
        if (kernel.restarting || kernel.process !== launched) return;
        log(`exited (code ${code}, signal ${signal})`);
        kernel.executionState = 'dead';
        kernel.deliver({ ...launched.makeMessage('iopub', 'status', { execution_state: 'dead' }) });
      },
    });
    return launched;
  }

  async interrupt(id: string): Promise<void> {
    await this.find(id).process.interrupt();
  }

  async restart(id: string): Promise<KernelModel> {
    const kernel = this.find(id);
    const spec = await this.options.catalog.get(kernel.name);
    if (!spec) throw new HttpError(404, `kernelspec '${kernel.name}' is gone; cannot restart`);
    kernel.restarting = true;
    const restarted = (async () => {
      try {
        kernel.executionState = 'restarting';
        kernel.deliver(kernel.process.makeMessage('iopub', 'status', { execution_state: 'restarting' }));
        await kernel.process.shutdown({ restart: true });
        kernel.process = await this.launch(kernel, spec);
        kernel.executionState = 'idle';
      } finally {
        kernel.restarting = false;
      }
    })();
    kernel.ready = restarted.catch(() => undefined);
    await restarted;
    return kernel.model();
  }

  async shutdown(id: string): Promise<void> {
    const kernel = this.find(id);
    this.kernels.delete(id);
    kernel.restarting = true;
    await kernel.process.shutdown();
  }

  async shutdownAll(): Promise<void> {
    await Promise.all([...this.kernels.keys()].map((id) => this.shutdown(id)));
  }

  /** Attaches a WebSocket client; returns the function that detaches it. */
  attach(id: string, client: KernelClient): () => void {
    const kernel = this.find(id);
    kernel.clients.add(client);
    return () => kernel.clients.delete(client);
  }

  async send(id: string, message: JupyterMessage): Promise<void> {
    const kernel = this.find(id);
    kernel.lastActivity = new Date();
    await kernel.ready;
    await kernel.process.send(message);
  }
}
