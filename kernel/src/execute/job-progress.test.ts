import { describe, expect, it } from 'vitest';
import type { JobProgress } from '@quire/engine';
import { PROGRESS_MIME, progressBundle } from './job-progress.js';

const running: JobProgress = {
  jobId: 'j1',
  state: 'running',
  tasks: { total: 6, running: 2, done: 3, failed: 1 },
  stages: [
    { id: 0, description: 'scan range', tasks: { total: 4, running: 0, done: 3, failed: 1 } },
    { id: 1, description: 'aggregate', tasks: { total: 2, running: 2, done: 0, failed: 0 } },
  ],
};

describe('job progress display', () => {
  it("carries each job's stages and task counts for the app, and a text and HTML summary for other front ends", () => {
    const bundle = progressBundle([running, { ...running, jobId: 'j2', state: 'succeeded', stages: [], tasks: { total: 1, running: 0, done: 1, failed: 0 } }]);
    expect(bundle.data[PROGRESS_MIME]).toEqual({ jobs: [
      { jobId: 'j1', state: 'running', tasks: running.tasks, stages: running.stages },
      { jobId: 'j2', state: 'succeeded', tasks: { total: 1, running: 0, done: 1, failed: 0 }, stages: [] },
    ] });
    expect(bundle.data['text/plain']).toBe('job 1 running: stages 0/2, tasks 3/6 done, 2 running, 1 failed\njob 2 succeeded: stages 0/0, tasks 1/1 done');
    expect(bundle.data['text/html']).toContain('<progress value="0.500" max="1"></progress>');
  });
});
