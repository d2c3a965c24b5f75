/**
 * Moves finished task outputs onto core workers: a task worker's output before its task counts as
 * done (so losing the task worker loses no finished work), and a decommissioned core worker's
 * outputs before it leaves. The master and workers share one filesystem, so a move is a copy into
 * the target worker's scratch directory; the registry then names the target as the holder.
 */
import { copyFile, mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import type { TaskOutput } from '../cluster/protocol.js';
import type { PartitionRegistry } from './partition-registry.js';

export interface DataHolder {
  workerId: string;
  scratchDir: string;
}

/** Copies an output's files from one worker's scratch directory to another's; returns the output with the new paths. */
export async function copyOutput(output: TaskOutput, fromDir: string, toDir: string): Promise<TaskOutput> {
  const move = async (file: string): Promise<string> => {
    const path = relative(fromDir, file);
    // Files outside the worker's directory (written output) are not the worker's to lose.
    if (path.startsWith('..') || isAbsolute(path)) return file;
    const target = join(toDir, path);
    await mkdir(dirname(target), { recursive: true });
    await copyFile(file, target);
    return target;
  };
  switch (output.kind) {
    case 'partitioned': {
      const files: Record<number, string[]> = {};
      for (const [partition, list] of Object.entries(output.files)) files[Number(partition)] = await Promise.all(list.map(move));
      return { ...output, files };
    }
    case 'single':
    case 'result':
      return { ...output, file: await move(output.file) };
    default:
      return output;
  }
}

/** Whether an output lives in the producing worker's scratch directory (and is lost with it). */
export function heldByWorker(output: TaskOutput): boolean {
  return output.kind === 'partitioned' || output.kind === 'single' || output.kind === 'result';
}

/** Picks core workers in turn, so moved data spreads evenly. */
export class HolderRotation {
  private next = 0;

  pick(holders: DataHolder[], except?: string): DataHolder | undefined {
    const candidates = holders.filter((h) => h.workerId !== except);
    if (candidates.length === 0) return undefined;
    return candidates[this.next++ % candidates.length];
  }
}

export type HandOffOutcome =
  | { kind: 'moved'; workerId: string; output: TaskOutput }
  /** No core worker is in service at all: the output stays on the task worker rather than the task looping. */
  | { kind: 'kept'; workerId: string; output: TaskOutput; reason: string }
  /** The copy failed (the task worker went) or its target left meanwhile: the task must run again. */
  | { kind: 'lost'; reason: string };

export interface HandOffWorkers {
  dataHolders(): DataHolder[];
  scratchDirOf(workerId: string): string | undefined;
}

/** Hands a task worker's finished output to a core worker. */
export async function handOffOutput(output: TaskOutput, fromWorkerId: string, workers: HandOffWorkers, rotation: HolderRotation): Promise<HandOffOutcome> {
  const fromDir = workers.scratchDirOf(fromWorkerId);
  if (!fromDir) return { kind: 'lost', reason: `${fromWorkerId} was lost before its output was handed over` };
  const target = rotation.pick(workers.dataHolders());
  if (!target) return { kind: 'kept', workerId: fromWorkerId, output, reason: `no core worker could take the output of ${fromWorkerId}` };
  try {
    const moved = await copyOutput(output, fromDir, target.scratchDir);
    if (!workers.dataHolders().some((h) => h.workerId === target.workerId)) return { kind: 'lost', reason: `${target.workerId} left while it received the output of ${fromWorkerId}` };
    return { kind: 'moved', workerId: target.workerId, output: moved };
  } catch (error) {
    return { kind: 'lost', reason: `handing the output of ${fromWorkerId} to ${target.workerId} failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Moves every output a worker holds to other core workers; throws when none can take them. */
export async function evacuateWorker(
  registry: PartitionRegistry, workerId: string, fromDir: string, holders: DataHolder[], rotation: HolderRotation,
): Promise<number> {
  const entries = registry.entriesOf(workerId);
  for (const entry of entries) {
    const target = rotation.pick(holders, workerId);
    if (!target) throw new Error(`no other core worker can hold the ${entries.length} outputs of ${workerId}`);
    const output = await copyOutput(entry.output, fromDir, target.scratchDir);
    // The job may have ended (and dropped its outputs) while the files were copied.
    if (registry.get(entry.jobId, entry.stageId, entry.partition)?.workerId === workerId) {
      registry.record(entry.jobId, entry.stageId, entry.partition, target.workerId, output);
    }
  }
  return entries.length;
}
