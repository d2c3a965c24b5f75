/** Where every finished task's output lives: which worker holds it and which files it is. */
import type { ExchangeRead, TaskOutput } from '../cluster/protocol.js';

interface Entry {
  workerId: string;
  output: TaskOutput;
}

export interface LostOutput {
  jobId: string;
  stageId: number;
  partition: number;
}

export class PartitionRegistry {
  private readonly entries = new Map<string, Map<number, Map<number, Entry>>>();

  record(jobId: string, stageId: number, partition: number, workerId: string, output: TaskOutput): void {
    const stages = this.entries.get(jobId) ?? new Map<number, Map<number, Entry>>();
    this.entries.set(jobId, stages);
    const tasks = stages.get(stageId) ?? new Map<number, Entry>();
    stages.set(stageId, tasks);
    tasks.set(partition, { workerId, output });
  }

  get(jobId: string, stageId: number, partition: number): Entry | undefined {
    return this.entries.get(jobId)?.get(stageId)?.get(partition);
  }

  /**
   * Files of a stage's output that hold the given consumer partitions, in producer order, with the
   * rows and bytes written into them. `producerPartitions` are the producing stage's task
   * partitions: a read built from fewer would silently return fewer rows, so any missing one is an
   * internal error.
   */
  readOf(jobId: string, stageId: number, partitions: number[] | 'all', producerPartitions: number[]): ExchangeRead {
    const tasks = this.entries.get(jobId)?.get(stageId);
    const missing = producerPartitions.filter((p) => !tasks?.has(p));
    if (missing.length > 0 || tasks?.size !== producerPartitions.length) {
      throw new Error(`internal error: ${tasks?.size ?? 0} of the ${producerPartitions.length} outputs of stage ${stageId} of job ${jobId} are registered`
        + (missing.length > 0 ? ` (missing partitions ${missing.join(', ')})` : '') + '; a read of them would miss rows');
    }
    const read: ExchangeRead = { files: [], rows: 0, bytes: 0 };
    for (const partition of [...producerPartitions].sort((a, b) => a - b)) {
      const { output } = tasks!.get(partition)!;
      switch (output.kind) {
        case 'partitioned': {
          const wanted = partitions === 'all' ? Object.keys(output.files).map(Number).sort((a, b) => a - b) : partitions;
          for (const p of wanted) {
            read.files.push(...(output.files[p] ?? []));
            read.rows += output.rows[p] ?? 0;
            read.bytes += output.bytes[p] ?? 0;
          }
          break;
        }
        case 'single':
          // Broadcast and gather outputs are read whole; an empty list is a union task that reads another input.
          if (partitions === 'all' || partitions.length > 0) {
            read.files.push(output.file);
            read.rows += output.rows;
            read.bytes += output.bytes;
          }
          break;
        default:
          throw new Error(`stage ${stageId} produced ${output.kind} output, which no stage can read`);
      }
    }
    return read;
  }

  /** Workers holding some output of a stage. */
  holdersOf(jobId: string, stageId: number): string[] {
    return [...new Set([...(this.entries.get(jobId)?.get(stageId)?.values() ?? [])].map((entry) => entry.workerId))];
  }

  /** Every output the worker holds. */
  entriesOf(workerId: string): (LostOutput & { output: TaskOutput })[] {
    const held: (LostOutput & { output: TaskOutput })[] = [];
    for (const [jobId, stages] of this.entries) {
      for (const [stageId, tasks] of stages) {
        for (const [partition, entry] of tasks) if (entry.workerId === workerId) held.push({ jobId, stageId, partition, output: entry.output });
      }
    }
    return held;
  }

  /** Forgets every output the worker held and says which ones they were. */
  dropWorker(workerId: string): LostOutput[] {
    const lost: LostOutput[] = [];
    for (const [jobId, stages] of this.entries) {
      for (const [stageId, tasks] of stages) {
        for (const [partition, entry] of tasks) {
          if (entry.workerId !== workerId) continue;
          tasks.delete(partition);
          lost.push({ jobId, stageId, partition });
        }
      }
    }
    return lost;
  }

  dropJob(jobId: string): void {
    this.entries.delete(jobId);
  }
}
