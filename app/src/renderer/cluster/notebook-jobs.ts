import type { ServerConnection } from '@jupyterlab/services';
import { requestJson } from '../server/connection.js';
import type { ClusterJob, TaskCounts } from '../server/quire-api.js';

/** A job as the master lists it, with the owner its driver gave it (the notebook's path for a notebook's kernel). */
export type OwnedJob = ClusterJob & { owner: string };

/** A stage of one job with its timings (engine/src/cluster/types.ts JobDetail). */
export interface StageTiming {
  id: number;
  description: string;
  startedAt?: string;
  finishedAt?: string;
  tasks: TaskCounts;
}

const DETAIL_CONCURRENCY = 4;

/**
 * The stage timings of one notebook's jobs, read from `/api/cluster/jobs/{id}`. A finished job's timings
 * never change, so they are fetched once; a running job's on every refresh.
 */
export class StageTimings {
  private readonly known = new Map<string, { stages: StageTiming[]; final: boolean }>();

  constructor(private readonly settings: ServerConnection.ISettings) {}

  get(jobId: string): StageTiming[] | undefined {
    return this.known.get(jobId)?.stages;
  }

  /** Fetches what is missing or may have changed for these jobs; forgets jobs the master no longer lists. */
  async refresh(jobs: OwnedJob[]): Promise<void> {
    const wanted = jobs.filter((job) => !this.known.get(job.jobId)?.final);
    for (let start = 0; start < wanted.length; start += DETAIL_CONCURRENCY) {
      await Promise.all(wanted.slice(start, start + DETAIL_CONCURRENCY).map(async (job) => {
        const detail = await requestJson<{ state: string; stages: StageTiming[] }>(this.settings, `api/cluster/jobs/${encodeURIComponent(job.jobId)}`);
        this.known.set(job.jobId, { stages: detail.stages, final: detail.state !== 'running' });
      }));
    }
    const listed = new Set(jobs.map((job) => job.jobId));
    for (const id of [...this.known.keys()]) if (!listed.has(id)) this.known.delete(id);
  }
}
