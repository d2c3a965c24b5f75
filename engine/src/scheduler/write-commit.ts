/**
 * The commit of a write job, local or s3://. Local targets use the staging directory beside the
 * target (local-commit.ts). s3:// targets use the IO module's committer: tasks upload to
 * `<target>/_temporary/<jobId>/`, which readers skip, and the commit copies only the files of each
 * partition's successful attempt into place, then writes `_SUCCESS`. A failed or cancelled job's
 * staged objects are deleted, so readers never see any of them.
 */
import type { WrittenOutput } from '../cluster/types.js';
import { abortWrite, checkWriteTarget as checkIoWriteTarget, commitWrite, stagingLocation } from '../io/commitWrite.js';
import type { S3Config } from '../io/s3Config.js';
import { isS3Url } from '../io/s3Url.js';
import type { Exchange } from '../physical/types.js';
import { checkWriteTarget as checkLocalWriteTarget, commitLocalWrite, stagingDirFor, type CommittedPartition } from './local-commit.js';

type WriteExchange = Extract<Exchange, { kind: 'write' }>;

/** Where the job's tasks stage their files: a local directory or an s3:// prefix. */
export function writeStaging(output: WriteExchange, jobId: string): string {
  return isS3Url(output.path) ? stagingLocation(output.path, jobId) : stagingDirFor(output, jobId);
}

/** Fails before any task runs when mode 'error' meets existing data. */
export async function checkWriteTarget(output: WriteExchange, s3: S3Config | undefined): Promise<void> {
  if (isS3Url(output.path)) await checkIoWriteTarget(output.path, output.mode, s3);
  else await checkLocalWriteTarget(output);
}

export async function commitJobWrite(
  output: WriteExchange,
  staging: string,
  partitions: CommittedPartition[],
  jobId: string,
  s3: S3Config | undefined,
): Promise<WrittenOutput> {
  if (!isS3Url(output.path)) return commitLocalWrite(output, staging, partitions);
  const target = output.path.replace(/\/+$/, '');
  const committed = await commitWrite({
    staging,
    target,
    mode: output.mode,
    format: output.format,
    jobId,
    ...(s3 ? { s3 } : {}),
    files: partitions.flatMap((p) => p.files),
  });
  return {
    path: target,
    format: output.format,
    files: committed.map((url) => url.slice(target.length + 1)).sort(),
    rows: partitions.reduce((sum, p) => sum + p.rows, 0),
    bytes: partitions.reduce((sum, p) => sum + p.bytes, 0),
  };
}

/** Removes what a job staged and did not commit (nothing once a commit has moved it). */
export function discardWriteStaging(staging: string, s3: S3Config | undefined): Promise<void> {
  return abortWrite(staging, s3);
}
