/**
 * Binds the engine into the notebook's globals: its functions (`col`, `sum`, `Window`, ...) once loaded, and
 * `spark`, a Session started on first use — attached to a cluster URL when one is given, else transient.
 * The engine is loaded lazily so a kernel that never touches data starts fast and keeps working when the
 * engine fails to load (the failure is reported when a cell needs it).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { JobProgress } from '@quire/engine';

export interface EngineOptions {
  /** Cluster URL to attach to (`--cluster` / QUIRE_CLUSTER); a transient local Session when absent. */
  cluster?: string;
  workers: number;
  /**
   * Whose jobs these are on a shared cluster (the notebook's path): the cluster shares its slots fairly
   * between owners and lists each notebook's jobs under it.
   */
  owner?: string;
}

/** The part of the engine's Session the kernel relies on (kept structural: the engine loads lazily). */
export interface SparkSession {
  sql(query: string): Promise<unknown>;
  stop(): Promise<void>;
  cancelAll(): void;
  setJobDescription(text: string | undefined): void;
  onProgress(listener: (progress: JobProgress) => void): () => void;
}

interface EngineModule {
  Session?: { start(options: { workers: number; scratchDir: string; cluster?: string; owner?: string }): Promise<SparkSession> };
  [name: string]: unknown;
}

export class EngineBinding {
  private engine: Promise<EngineModule> | undefined;
  private session: Promise<SparkSession> | undefined;
  private scratchDir: string | undefined;

  constructor(private readonly options: EngineOptions) {}

  /** Puts the engine's exported functions on the global object; returns the names bound. */
  async bindFunctions(target: Record<string, unknown>): Promise<string[]> {
    const engine = await this.load();
    // Functions and classes cells use directly (col, sum, Window, DataFrame for instanceof, ...).
    const names = Object.keys(engine).filter((name) => name !== 'Session' && name !== 'default' && typeof engine[name] !== 'undefined');
    for (const name of names) target[name] = engine[name];
    return names;
  }

  async spark(): Promise<SparkSession> {
    this.session ??= this.startSession();
    try {
      return await this.session;
    } catch (error) {
      this.session = undefined;
      throw error;
    }
  }

  /** The session if one was started, without starting one. */
  async startedSession(): Promise<SparkSession | undefined> {
    return this.session?.catch(() => undefined);
  }

  async cancelJobs(): Promise<void> {
    if (!this.session) return;
    const session = await this.session.catch(() => undefined);
    session?.cancelAll();
  }

  async stop(): Promise<void> {
    const session = await this.session?.catch(() => undefined);
    this.session = undefined;
    await session?.stop();
    if (this.scratchDir) await rm(this.scratchDir, { recursive: true, force: true });
    this.scratchDir = undefined;
  }

  private load(): Promise<EngineModule> {
    this.engine ??= import('@quire/engine').then(
      (module) => module as EngineModule,
      (error: unknown) => {
        throw new Error(`the engine (@quire/engine) failed to load: ${(error as Error).message}`);
      },
    );
    return this.engine;
  }

  private async startSession(): Promise<SparkSession> {
    const engine = await this.load();
    if (typeof engine.Session?.start !== 'function') {
      throw new Error('spark is not available: @quire/engine does not export Session.start yet');
    }
    this.scratchDir = await mkdtemp(join(tmpdir(), 'quire-kernel-'));
    const { workers, cluster, owner } = this.options;
    return engine.Session.start({ workers, scratchDir: this.scratchDir, cluster, ...(owner ? { owner } : {}) });
  }
}
