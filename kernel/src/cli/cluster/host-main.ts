/**
 * The cluster host: a small detached process that starts the cluster and owns it until it gets
 * SIGTERM (from `quire cluster stop`), SIGINT or SIGHUP. The master watches this process as its
 * parent, so the cluster also ends if the host is killed outright: nothing outlives it.
 */
import { rmSync } from 'node:fs';
import { startCluster, type Cluster } from '@quire/engine';
import { HOST_CONFIG_VARIABLE, type ClusterHostConfig, type HostToCommand } from './host-protocol.js';
import { removeClusterRecord, writeClusterRecord, type ClusterRecord } from './state-file.js';

function tell(message: HostToCommand): Promise<void> {
  return new Promise((resolve) => {
    if (!process.connected || !process.send) return resolve();
    // Resolves on delivery or on a failed send alike: the command's own timeout covers a lost message.
    process.send(message, () => resolve());
  });
}

function log(message: string): void {
  process.stderr.write(`${new Date().toISOString()} quire cluster host ${process.pid}: ${message}\n`);
}

async function main(): Promise<void> {
  const text = process.env[HOST_CONFIG_VARIABLE];
  if (!text) throw new Error(`${HOST_CONFIG_VARIABLE} is not set; the cluster host is started by 'quire cluster start'`);
  delete process.env[HOST_CONFIG_VARIABLE];
  const config = JSON.parse(text) as ClusterHostConfig;
  // The command that started us disconnects once it has the URL; that must not stop the cluster.
  process.on('disconnect', () => log('the starting command detached'));
  // Keeps the host alive: the cluster's own handles are unref'd so that drivers can exit.
  const keepAlive = setInterval(() => {}, 1 << 30);
  const cluster: Cluster = await startCluster(config.cluster);
  const status = await cluster.status();
  const record: ClusterRecord = {
    url: cluster.url,
    hostPid: process.pid,
    masterPid: status.masterPid,
    scratchDir: config.cluster.scratchDir,
    logFile: config.logFile,
    startedAt: new Date().toISOString(),
  };
  writeClusterRecord(config.stateFile, record);
  log(`cluster ready at ${status.url.replace(/token=[^&]+/, 'token=…')} (master ${status.masterPid})`);
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the cluster`);
    cluster.stop().then(
      () => {
        removeClusterRecord(config.stateFile, process.pid);
        if (config.ownsScratch) rmSync(config.cluster.scratchDir, { recursive: true, force: true });
        clearInterval(keepAlive);
        log('cluster stopped');
        process.exit(0);
      },
      (error: unknown) => {
        log(`stopping the cluster failed: ${error instanceof Error ? error.stack : String(error)}`);
        removeClusterRecord(config.stateFile, process.pid);
        process.exit(1);
      },
    );
  };
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.on(signal, () => stop(signal));
  await tell({ type: 'ready', record });
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  log(`failed to start: ${error instanceof Error ? error.stack : message}`);
  void tell({ type: 'failed', error: message }).then(() => process.exit(1));
});
