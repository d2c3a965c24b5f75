/**
 * `quire cluster start`: starts a long-running cluster in a detached host process (it survives this
 * command), waits until it answers, and prints its URL with the token as the last line.
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StartClusterOptions } from '@quire/engine';
import { intOption, stringOption, type ParsedArgs } from '../cli-args.js';
import { HOST_CONFIG_VARIABLE, type ClusterHostConfig, type HostToCommand } from './host-protocol.js';
import { redactToken } from './locate-cluster.js';
import { isProcessAlive, readClusterRecord, removeClusterRecord, type ClusterRecord } from './state-file.js';

const HOST_ENTRY = fileURLToPath(new URL('./cluster-host.mjs', import.meta.url));
const START_TIMEOUT_MS = 120_000;
const MEMORY_SIZE = /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/i;

export interface StartRequest {
  core: number;
  task: number;
  memoryPerWorker?: string;
  scratchDir?: string;
  bootstrap: string[];
}

export function startRequestFrom(options: ParsedArgs['options'], bootstrap: string[]): StartRequest {
  const core = intOption(options, 'core', 2);
  const task = intOption(options, 'task', 1);
  if (core < 1) throw new Error('--core must be at least 1: core workers hold the exchange data every job needs');
  const memoryPerWorker = stringOption(options, 'memory-per-worker');
  if (memoryPerWorker !== undefined && !MEMORY_SIZE.test(memoryPerWorker)) {
    throw new Error(`--memory-per-worker must be a size such as 2GB or 512MB, not '${memoryPerWorker}'`);
  }
  for (const file of bootstrap) if (!existsSync(file)) throw new Error(`--bootstrap file ${file} does not exist`);
  const scratch = stringOption(options, 'scratch');
  return { core, task, memoryPerWorker, scratchDir: scratch && resolve(scratch), bootstrap: bootstrap.map((f) => resolve(f)) };
}

/** Maps the command's request onto the engine's startCluster options. */
function clusterOptions(request: StartRequest, scratchDir: string): StartClusterOptions {
  return {
    core: request.core,
    task: request.task,
    scratchDir,
    memoryPerWorker: request.memoryPerWorker,
    bootstrap: request.bootstrap.length > 0 ? request.bootstrap : undefined,
  };
}

export async function startLongRunningCluster(request: StartRequest, stateFile: string, out: (line: string) => void): Promise<ClusterRecord> {
  const existing = readClusterRecord(stateFile);
  if (existing && isProcessAlive(existing.hostPid)) {
    throw new Error(`a cluster is already running at ${redactToken(existing.url)} (host pid ${existing.hostPid}); stop it with 'quire cluster stop', or pass --state FILE to run another`);
  }
  if (existing) {
    removeClusterRecord(stateFile, existing.hostPid);
    out(`removed the record of a cluster that is gone (host pid ${existing.hostPid})`);
  }
  const scratchDir = request.scratchDir ?? mkdtempSync(join(tmpdir(), 'quire-cluster-'));
  mkdirSync(scratchDir, { recursive: true });
  mkdirSync(dirname(stateFile), { recursive: true });
  const logFile = stateFile.replace(/(\.json)?$/, '.log');
  const config: ClusterHostConfig = { cluster: clusterOptions(request, scratchDir), stateFile, logFile, ownsScratch: request.scratchDir === undefined };
  out(`starting a cluster: ${request.core} core + ${request.task} task workers${request.memoryPerWorker ? `, ${request.memoryPerWorker} each` : ''}`);
  out(`  scratch ${scratchDir}${request.scratchDir ? '' : ' (removed when the cluster stops)'}`);
  out(`  log     ${logFile}`);
  const logFd = openSync(logFile, 'w', 0o600);
  try {
    const record = await spawnHost(config, logFd, logFile);
    out(`cluster ready: master pid ${record.masterPid}, host pid ${record.hostPid}, recorded in ${stateFile}`);
    out(`use it with --cluster URL; 'quire cluster status' / 'resize' / 'stop' find it without one`);
    out(record.url);
    return record;
  } finally {
    closeSync(logFd);
  }
}

function spawnHost(config: ClusterHostConfig, logFd: number, logFile: string): Promise<ClusterRecord> {
  // detached: its own process group, so the terminal's Ctrl-C or hang-up does not reach the cluster.
  const host = spawn(process.execPath, [HOST_ENTRY], {
    detached: true,
    stdio: ['ignore', logFd, logFd, 'ipc'],
    env: { ...process.env, [HOST_CONFIG_VARIABLE]: JSON.stringify(config) },
  });
  return new Promise<ClusterRecord>((resolvePromise, reject) => {
    const fail = (message: string) => {
      clearTimeout(timer);
      if (host.exitCode === null && host.signalCode === null) host.kill('SIGTERM');
      reject(new Error(`${message}${logTail(logFile)}`));
    };
    const timer = setTimeout(() => fail(`the cluster did not start within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
    host.on('message', (message: HostToCommand) => {
      if (message.type === 'failed') return fail(`the cluster failed to start: ${message.error}`);
      clearTimeout(timer);
      host.removeAllListeners('exit');
      host.disconnect();
      host.unref();
      resolvePromise(message.record);
    });
    host.once('exit', (code, signal) => fail(`the cluster host exited while starting (code ${code}, signal ${signal})`));
    host.once('error', (error) => fail(`could not start the cluster host: ${error.message}`));
  });
}

function logTail(logFile: string): string {
  try {
    const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-15);
    return lines.length && lines[0] ? `\nlast lines of ${logFile}:\n${lines.join('\n')}` : '';
  } catch {
    // No log to show is not worth hiding the start failure behind a second error.
    return '';
  }
}
