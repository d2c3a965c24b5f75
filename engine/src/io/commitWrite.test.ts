import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { abortWrite, checkWriteTarget, commitWrite, stagingLocation } from './commitWrite.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'quire-commit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function stage(target: string, jobId: string, files: string[]): string {
  const staging = stagingLocation(target, jobId);
  for (const file of files) {
    mkdirSync(join(staging, file, '..'), { recursive: true });
    writeFileSync(join(staging, file), `${jobId}:${file}`);
  }
  return staging;
}

const listing = (target: string) => readdirSync(target, { recursive: true }).map(String).sort();

describe('commitWrite on local directories', () => {
  it('moves staged files into place with the job id, then writes _SUCCESS', async () => {
    const target = join(dir, 'out');
    const staging = stage(target, 'job1', ['part-00000.parquet', 'country=fr/part-00001.parquet']);
    expect(listing(target).filter((f) => !f.startsWith('_temporary'))).toEqual([]);
    const committed = await commitWrite({ staging, target, mode: 'error', format: 'parquet', jobId: 'job1' });
    expect(committed).toHaveLength(2);
    expect(listing(target)).toEqual(['_SUCCESS', 'country=fr', 'country=fr/part-00001-job1.parquet', 'part-00000-job1.parquet']);
  });

  it("mode 'error' refuses a target with data; 'append' adds; 'overwrite' replaces", async () => {
    const target = join(dir, 'out');
    await commitWrite({ staging: stage(target, 'a', ['part-0.csv']), target, mode: 'error', format: 'csv', jobId: 'a' });
    await expect(checkWriteTarget(target, 'error')).rejects.toThrow(`path already exists: ${target}`);
    await expect(
      commitWrite({ staging: stage(target, 'b', ['part-0.csv']), target, mode: 'error', format: 'csv', jobId: 'b' }),
    ).rejects.toThrow('path already exists');
    await abortWrite(stagingLocation(target, 'b'));
    await commitWrite({ staging: stage(target, 'c', ['part-0.csv']), target, mode: 'append', format: 'csv', jobId: 'c' });
    expect(listing(target)).toEqual(['_SUCCESS', 'part-0-a.csv', 'part-0-c.csv']);
    await commitWrite({ staging: stage(target, 'd', ['part-0.csv']), target, mode: 'overwrite', format: 'csv', jobId: 'd' });
    expect(listing(target)).toEqual(['_SUCCESS', 'part-0-d.csv']);
  });

  it('leaves nothing visible when a job is aborted', async () => {
    const target = join(dir, 'out');
    const staging = stage(target, 'failed', ['part-0.parquet']);
    await abortWrite(staging);
    expect(existsSync(staging)).toBe(false);
    expect(listing(target)).toEqual(['_temporary']);
    await checkWriteTarget(target, 'error');
  });

  it('commits only the named files, dropping what failed attempts left behind', async () => {
    const target = join(dir, 'out');
    const staging = stage(target, 'job2', ['part-0-a1.parquet', 'part-0-a2.parquet', 'k=v/part-1-a1.parquet']);
    await expect(
      commitWrite({ staging, target, mode: 'error', format: 'parquet', jobId: 'job2', files: ['part-9-a1.parquet'] }),
    ).rejects.toThrow(`staged file part-9-a1.parquet is missing from ${staging}`);
    await commitWrite({ staging, target, mode: 'error', format: 'parquet', jobId: 'job2', files: ['part-0-a2.parquet', 'k=v/part-1-a1.parquet'] });
    expect(listing(target)).toEqual(['_SUCCESS', 'k=v', 'k=v/part-1-a1-job2.parquet', 'part-0-a2-job2.parquet']);
  });

  it('rejects job ids that could escape the staging directory', () => {
    expect(() => stagingLocation(dir, '../x')).toThrow('job id must be');
  });
});
