/**
 * Uploads a write task's local files to its s3:// staging prefix. The files keep their paths
 * relative to the task's directory (hive `key=value` directories included), so the master's commit
 * sees the same layout local writes have.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { s3Client, type S3Config } from '../io/s3Config.js';
import { uploadFile } from '../io/s3Objects.js';
import { parseS3Url } from '../io/s3Url.js';

export async function uploadWrittenFiles(localDir: string, files: string[], prefix: string, s3: S3Config | undefined, signal?: AbortSignal): Promise<void> {
  const client = s3Client(s3);
  const base = parseS3Url(prefix.replace(/\/*$/, '/'));
  for (const file of files) {
    await uploadFile(client, join(localDir, file), { bucket: base.bucket, key: `${base.key}${file}` }, signal);
  }
  // The local copies were only a step on the way; keep the worker's scratch space for what it still holds.
  await rm(localDir, { recursive: true, force: true });
}
