import type { Kernel, Session, SessionManager } from '@jupyterlab/services';

export type KernelStatus = Kernel.Status | 'starting' | 'none';

/**
 * The Jupyter session of one open notebook: created (or reused) through the sessions API for the
 * notebook's path, reporting the kernel's status as it changes.
 */
export class NotebookSession {
  private connection: Session.ISessionConnection | null = null;
  private listeners = new Set<(status: KernelStatus) => void>();
  private statusValue: KernelStatus = 'none';
  private owner: string | null = null;

  constructor(
    private readonly sessions: SessionManager,
    private path: string,
    /** Resolved once the server's kernel specs are in: the session starts after that, the notebook shows before. */
    private readonly kernelName: Promise<string>,
  ) {}

  get kernel(): Kernel.IKernelConnection | null {
    return this.connection?.kernel ?? null;
  }

  /**
   * Whose jobs on the cluster are this notebook's: the server tells a kernel the notebook path it starts it for
   * (JPY_SESSION_NAME), and the kernel's jobs carry that owner for its whole life, restarts included, even if
   * the notebook is renamed meanwhile. Null until the kernel runs.
   */
  get jobOwner(): string | null {
    return this.owner;
  }

  get status(): KernelStatus {
    return this.statusValue;
  }

  onStatus(listener: (status: KernelStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    this.setStatus('starting');
    const kernelName = await this.kernelName;
    const name = this.path.split('/').pop() ?? this.path;
    this.connection = await this.sessions.startNew({ path: this.path, name, type: 'notebook', kernel: { name: kernelName } });
    const kernel = this.connection.kernel;
    if (!kernel) throw new Error(`the server started no kernel '${kernelName}' for ${this.path}`);
    this.owner = this.path;
    this.connection.statusChanged.connect((_, status) => this.setStatus(status));
    this.setStatus(kernel.status);
  }

  async rename(path: string): Promise<void> {
    this.path = path;
    await this.connection?.setPath(path);
  }

  async interrupt(): Promise<void> {
    await this.requireKernel().interrupt();
  }

  async restart(): Promise<void> {
    await this.requireKernel().restart();
  }

  async shutdown(): Promise<void> {
    const connection = this.connection;
    this.connection = null;
    this.owner = null;
    if (connection) await connection.shutdown();
    this.setStatus('none');
  }

  private requireKernel(): Kernel.IKernelConnection {
    const kernel = this.kernel;
    if (!kernel) throw new Error(`no kernel is running for ${this.path}`);
    return kernel;
  }

  private setStatus(status: KernelStatus): void {
    this.statusValue = status;
    for (const listener of this.listeners) listener(status);
  }
}
