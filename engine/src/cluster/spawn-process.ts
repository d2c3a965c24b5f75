/** Starts a master or worker process with an IPC channel to its parent and its config in the environment. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ENTRY_POINTS = {
  master: fileURLToPath(new URL('../../bin/quire-master.mjs', import.meta.url)),
  worker: fileURLToPath(new URL('../../bin/quire-worker.mjs', import.meta.url)),
};

export const CONFIG_VARIABLES = { master: 'QUIRE_MASTER_CONFIG', worker: 'QUIRE_WORKER_CONFIG' } as const;

export function spawnClusterProcess(kind: 'master' | 'worker', config: object): ChildProcess {
  return spawn(process.execPath, [ENTRY_POINTS[kind]], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [CONFIG_VARIABLES[kind]]: JSON.stringify(config) },
  });
}
