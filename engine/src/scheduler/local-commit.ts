/**
 * Commits a write job's files on the local filesystem. Tasks write into a staging directory beside
 * the target; the commit moves only the successful attempt of each partition into place and adds
 * `_SUCCESS`. For 'error' and 'overwrite' the finished directory replaces the target with renames,
 * so readers never see half a result. s3:// targets go through write-commit.ts.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Exchange } from '../physical/types.js';
import type { WrittenOutput } from '../cluster/types.js';

type WriteExchange = Extract<Exchange, { kind: 'write' }>;

export function stagingDirFor(output: WriteExchange, jobId: string): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(output.path)) {
    throw new Error(`cannot write to ${output.path}: the local committer takes local paths only`);
  }
  return `${output.path.replace(/\/+$/, '')}.quire-staging-${jobId}`;
}

/** Fails before any task runs when mode 'error' meets existing data. */
export async function checkWriteTarget(output: WriteExchange): Promise<void> {
  if (output.mode !== 'error' || !existsSync(output.path)) return;
  const entries = (await stat(output.path)).isDirectory() ? await readdir(output.path) : [output.path];
  if (entries.length > 0) throw new Error(`cannot write to ${output.path}: it already exists and the save mode is 'error'`);
}

export interface CommittedPartition {
  dir: string;
  files: string[];
  rows: number;
  bytes: number;
}

export async function commitLocalWrite(output: WriteExchange, stagingDir: string, partitions: CommittedPartition[]): Promise<WrittenOutput> {
  const target = output.path.replace(/\/+$/, '');
  const finalDir = output.mode === 'append' ? target : join(stagingDir, '_final');
  await mkdir(finalDir, { recursive: true });
  const files: string[] = [];
  for (const partition of partitions) {
    for (const file of partition.files) {
      const destination = join(finalDir, file);
      await mkdir(dirname(destination), { recursive: true });
      await rename(join(partition.dir, file), destination);
      files.push(file);
    }
  }
  await writeFile(join(finalDir, '_SUCCESS'), '');
  if (output.mode !== 'append') {
    await checkWriteTarget(output);
    if (existsSync(target)) await rename(target, join(stagingDir, '_replaced'));
    await mkdir(dirname(target), { recursive: true });
    await rename(finalDir, target);
  }
  await rm(stagingDir, { recursive: true, force: true });
  return {
    path: target,
    format: output.format,
    files: files.sort(),
    rows: partitions.reduce((sum, p) => sum + p.rows, 0),
    bytes: partitions.reduce((sum, p) => sum + p.bytes, 0),
  };
}
