/** `quire serve`: the notebook server, with its local cluster, backups and shared space. */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startQuireServer } from '../server/quire-server.js';
import { resolveSettings } from '../storage/settings.js';
import { intOption, parseArgs, stringOption } from './cli-args.js';
import type { Command } from './main.js';

const USAGE = `usage: quire serve [--port 8888] [--root DIR] [--token T] [--cluster URL] [--backup s3://BUCKET/PREFIX]
                   [--shared s3://BUCKET/PREFIX] [--static DIR] [--workers N] [--max-body-bytes N]
                   [--backup-debounce-ms N] [--backup-backoff-ms N] [--backup-max-backoff-ms N]`;

const DEFAULT_STATIC = fileURLToPath(new URL('../../../app/dist', import.meta.url));

interface LocalCluster {
  url: string;
  stop(): Promise<void>;
}

/** Starts the engine's local cluster, shared by every kernel this server runs, in a scratch dir removed on stop. */
async function startLocalCluster(workers: number | undefined): Promise<LocalCluster> {
  // Loaded here, not at the top: `quire serve --cluster URL` never needs the engine in this process.
  const { startCluster } = await import('@quire/engine');
  const scratchDir = await mkdtemp(path.join(os.tmpdir(), 'quire-cluster-'));
  try {
    const cluster = await startCluster({ scratchDir, workers });
    return {
      url: cluster.url,
      async stop() {
        await cluster.stop();
        await rm(scratchDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(scratchDir, { recursive: true, force: true });
    throw error;
  }
}

async function run(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs(argv, {
      values: ['port', 'root', 'token', 'cluster', 'backup', 'shared', 'static', 'workers', 'max-body-bytes', 'backup-debounce-ms', 'backup-backoff-ms', 'backup-max-backoff-ms'],
      flags: ['help'],
    });
    if (args.options.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    if (args.positional.length) throw new Error(`unexpected argument '${args.positional[0]}'`);
  } catch (error) {
    process.stderr.write(`quire serve: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { options } = args;
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const root = path.resolve(stringOption(options, 'root') ?? process.cwd());
  if (!(await stat(root).then((s) => s.isDirectory(), () => false))) {
    process.stderr.write(`quire serve: --root ${root} is not a directory\n`);
    return 2;
  }
  const settings = await resolveSettings({ backup: stringOption(options, 'backup'), shared: stringOption(options, 'shared') });
  const workers = options.workers === undefined ? undefined : intOption(options, 'workers', 2);

  let cluster: LocalCluster | undefined;
  try {
    cluster = stringOption(options, 'cluster') ? undefined : await startLocalCluster(workers);
  } catch (error) {
    process.stderr.write(`quire serve: could not start the local cluster: ${(error as Error).message}\n`);
    return 1;
  }
  const clusterUrl = stringOption(options, 'cluster') ?? cluster?.url;
  let server;
  try {
    server = await startQuireServer({
      root,
      port: intOption(options, 'port', 8888),
      token: stringOption(options, 'token'),
      staticDir: stringOption(options, 'static') ?? DEFAULT_STATIC,
      maxBodyBytes: intOption(options, 'max-body-bytes', 100 * 1024 * 1024),
      settings,
      clusterUrl,
      log,
      backupTiming: {
        debounceMs: intOption(options, 'backup-debounce-ms', 2000),
        backoffMs: intOption(options, 'backup-backoff-ms', 1000),
        maxBackoffMs: intOption(options, 'backup-max-backoff-ms', 300_000),
      },
    });
  } catch (error) {
    await cluster?.stop();
    process.stderr.write(`quire serve: ${(error as Error).message}\n`);
    return 1;
  }

  process.stdout.write(
    [
      `Quire is serving ${root}`,
      settings.backup ? `  backups to ${settings.backup}` : '  backups: off (use --backup s3://BUCKET/PREFIX)',
      settings.shared ? `  shared space ${settings.shared}` : '',
      clusterUrl ? `  cluster ${clusterUrl.replace(/token=[^&]*/, 'token=***')}` : '',
      `  ${server.url}?token=${server.token}`,
    ]
      .filter((line) => line !== '')
      .join('\n') + '\n',
  );

  const running = server;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      log(`quire serve: ${signal}, shutting down kernels${cluster ? ', the cluster' : ''} and backups`);
      void (async () => {
        let code = 0;
        for (const step of [() => running.close(), async () => cluster?.stop()]) {
          await step().catch((error: Error) => {
            code = 1;
            log(`quire serve: error while shutting down: ${error.message}`);
          });
        }
        resolve(code);
      })();
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}

export const command: Command = { summary: 'serve notebooks (Jupyter Server API), kernels, backups and the UI', run };
