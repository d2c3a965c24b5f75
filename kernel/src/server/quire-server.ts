/** The notebook server with Quire's services attached: backups on save, history, shared space, cluster proxy. */
import type { BackupTiming } from '../storage/backup-service.js';
import type { QuireSettings } from '../storage/settings.js';
import { addClusterProxyRoutes } from './api-cluster-proxy.js';
import { addQuireRoutes } from './api-quire.js';
import { createQuireServices, type QuireServices } from './quire-services.js';
import { startServer, type RunningServer, type ServerOptions } from './server.js';

export interface QuireServerOptions extends Omit<ServerOptions, 'extend'> {
  settings: QuireSettings;
  clusterUrl?: string;
  backupTiming?: Partial<BackupTiming>;
  /** Environment for S3 (AWS_ENDPOINT_URL_S3, credentials); process.env by default. */
  s3Env?: NodeJS.ProcessEnv;
}

export interface RunningQuireServer extends RunningServer {
  services: QuireServices;
}

export async function startQuireServer(options: QuireServerOptions): Promise<RunningQuireServer> {
  let services: QuireServices | undefined;
  const server = await startServer({
    ...options,
    kernelEnv: { ...options.kernelEnv, ...(options.clusterUrl ? { QUIRE_CLUSTER: options.clusterUrl } : {}) },
    extend: (context) => {
      addClusterProxyRoutes(context.router, () => options.clusterUrl, context.bodyLimit);
      // Routes exist from the start; the services behind them are attached just below.
      addQuireRoutes(context.router, {
        store: context.store,
        get backup() { return services?.backup; },
        get history() { return services?.history; },
        get shared() { return services?.shared; },
      }, context.bodyLimit);
    },
  });
  try {
    services = await createQuireServices(server.store, options.settings, { log: options.log, timing: options.backupTiming, env: options.s3Env });
  } catch (error) {
    await server.close();
    throw error;
  }
  const attached = services;
  return {
    ...server,
    services: attached,
    async close() {
      await server.close();
      await attached.close();
    },
  };
}
