/**
 * `quire kernel -f CONNECTION_FILE [--cluster URL]`: runs the Jupyter kernel.
 * `quire kernel install [--user | --prefix DIR]`: writes the `quire` kernelspec.
 */
import { randomUUID } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { Executor } from '../execute/executor.js';
import { readConnectionFile } from '../protocol/connection.js';
import { Kernel } from '../protocol/kernel.js';
import { installKernelSpec, type InstallTarget } from '../protocol/kernelspec.js';
import { afterPoll } from '../protocol/after-poll.js';
import { KernelSockets } from '../protocol/sockets.js';
import type { Command } from './main.js';

const USAGE = 'usage: quire kernel -f CONNECTION_FILE [--cluster URL] [--notebook-dir DIR]\n       quire kernel install [--user | --prefix DIR]\n';

export const command: Command = {
  summary: 'run the Jupyter kernel for TypeScript and %%sql cells (or `kernel install` its kernelspec)',
  async run(argv) {
    if (argv[0] === 'install') return install(argv.slice(1));
    let values;
    try {
      ({ values } = parseArgs({
        args: argv,
        options: {
          'connection-file': { type: 'string', short: 'f' },
          cluster: { type: 'string' },
          'notebook-dir': { type: 'string' },
          workers: { type: 'string' },
        },
      }));
    } catch (error) {
      process.stderr.write(`quire kernel: ${(error as Error).message}\n${USAGE}`);
      return 2;
    }
    if (!values['connection-file']) {
      process.stderr.write(`quire kernel: -f CONNECTION_FILE is required\n${USAGE}`);
      return 2;
    }
    const workers = values.workers === undefined ? 2 : Number(values.workers);
    if (!Number.isInteger(workers) || workers < 1) {
      process.stderr.write(`quire kernel: --workers must be a positive integer, got '${values.workers}'\n`);
      return 2;
    }
    return runKernel(values['connection-file'], {
      cluster: values.cluster ?? process.env.QUIRE_CLUSTER,
      // Jupyter starts kernels in the notebook's folder, which is where its imports resolve from.
      notebookDir: resolve(values['notebook-dir'] ?? process.cwd()),
      workers,
    });
  },
};

async function runKernel(connectionFile: string, options: { cluster?: string; notebookDir: string; workers: number }): Promise<number> {
  const log = (text: string): void => void process.stderr.write(`[quire kernel] ${text}\n`);
  const connection = await readConnectionFile(connectionFile).catch((error: unknown) => {
    log((error as Error).message);
    return undefined;
  });
  if (!connection) return 1;
  const session = randomUUID();
  // The notebook server names the notebook in JPY_SESSION_NAME (Jupyter Server does the same); a kernel
  // started on its own owns its jobs under its session id, so its jobs still share the cluster as one.
  const owner = process.env.JPY_SESSION_NAME || `kernel ${session}`;
  const sockets = new KernelSockets(connection, session, log);
  const executor = new Executor({
    notebookDir: options.notebookDir,
    engine: { cluster: options.cluster, workers: options.workers, owner },
    takeInterruptRequest: () => sockets.interrupts.take(),
  });
  let finished!: () => void;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const kernel = new Kernel(session, sockets, executor, log, finished);

  // SIGINT comes from the control thread on interrupt_request (or from a terminal): it breaks the running
  // cell, or the next one when the shell still has requests queued.
  process.on('SIGINT', () => {
    // A SIGINT without a request is one sent to the process from outside, or the late signal of a request a
    // cell took as it started (executor.ts, INTERRUPT_CHECK).
    if (!sockets.interrupts.take() && executor.isLateSignal()) return;
    // A running cell stops now. Otherwise the shell requests that came meanwhile (the main thread was busy, with
    // a completion say) are read in first, so a cell among them is the one stopped.
    if (executor.interrupt(false)) return;
    void afterPoll().then(() => {
      if (!executor.interrupt(sockets.hasQueuedShellRequests())) log('interrupt: no cell was running or waiting');
    });
  });
  process.on('unhandledRejection', (reason) => executor.reportUnhandledRejection(reason));
  try {
    await sockets.bind((header) => kernel.noteInterrupt(header));
  } catch (error) {
    log((error as Error).message);
    await sockets.close();
    return 1;
  }
  log(`listening (${connection.transport}://${connection.ip}, shell ${connection.shell_port}); notebook folder ${options.notebookDir}; connection file in ${dirname(resolve(connectionFile))}`);
  void kernel.start().catch((error: unknown) => {
    log(`shell channel stopped: ${(error as Error).stack}`);
    finished();
  });
  await done;
  await sockets.close();
  return 0;
}

async function install(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: { user: { type: 'boolean' }, prefix: { type: 'string' }, sys: { type: 'boolean' } } }));
  } catch (error) {
    process.stderr.write(`quire kernel install: ${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  if (values.user && values.prefix) {
    process.stderr.write('quire kernel install: choose one of --user and --prefix DIR\n');
    return 2;
  }
  const target: InstallTarget = values.prefix ? { kind: 'prefix', prefix: values.prefix } : values.user ? { kind: 'user' } : { kind: 'system' };
  const directory = await installKernelSpec(target);
  process.stdout.write(`Installed kernelspec quire in ${directory}\n`);
  return 0;
}
