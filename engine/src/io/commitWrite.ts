import { mkdir, readdir, rename, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, extname, join, relative } from 'node:path';
import type { FileFormat } from '../plan/types.js';
import { isHiddenName } from './hivePartitions.js';
import { copyObject, deleteObjects, listObjects, putObject } from './s3Objects.js';
import { s3Client, type S3Config } from './s3Config.js';
import { isS3Url, parseS3Url } from './s3Url.js';

export type WriteMode = 'error' | 'overwrite' | 'append';

export interface CommitRequest {
  /** Where tasks wrote their files: `stagingLocation(target, jobId)`. */
  staging: string;
  /** The directory (or s3:// prefix) readers look at. */
  target: string;
  mode: WriteMode;
  format: FileFormat;
  jobId: string;
  s3?: S3Config;
  /**
   * The staged files to commit, relative to `staging`; every visible staged file when absent. A
   * cluster names the successful task attempts here, so files left by failed attempts are dropped.
   */
  files?: string[];
}

/**
 * Tasks write under `<target>/_temporary/<jobId>`; readers skip `_`-prefixed entries, so nothing
 * there is visible until commitWrite moves it into place and writes `_SUCCESS`.
 */
export function stagingLocation(target: string, jobId: string): string {
  if (!/^[\w-]+$/.test(jobId)) throw new Error(`job id must be letters, digits, '_' or '-': ${jobId}`);
  return `${target.replace(/\/+$/, '')}/_temporary/${jobId}`;
}

/** Committed names carry the job id, so appends never overwrite earlier files. */
function committedName(relativePath: string, jobId: string, format: FileFormat): string {
  const ext = extname(relativePath) || `.${format}`;
  const stem = extname(relativePath) ? relativePath.slice(0, -ext.length) : relativePath;
  return `${stem}-${jobId}${ext}`;
}

function visible(relativePath: string): boolean {
  return !relativePath.split('/').some(isHiddenName);
}

/** Fails before a job starts when mode 'error' would fail at commit. */
export async function checkWriteTarget(target: string, mode: WriteMode, s3?: S3Config): Promise<void> {
  if (mode === 'error' && (await visibleData(target, s3)).length > 0) {
    throw new Error(`path already exists: ${target} (use mode 'overwrite' or 'append')`);
  }
}

async function visibleData(target: string, s3?: S3Config): Promise<string[]> {
  if (isS3Url(target)) {
    const { bucket, key } = parseS3Url(target);
    const prefix = key.endsWith('/') || key === '' ? key : `${key}/`;
    return (await listObjects(s3Client(s3), bucket, prefix)).map((o) => o.key.slice(prefix.length)).filter(visible);
  }
  const entries = await readdir(target, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return entries.filter((e) => e.isFile()).map((e) => relative(target, join(e.parentPath, e.name))).filter(visible);
}

/** Moves staged files into the target according to the mode, then writes `_SUCCESS`. Returns the committed paths. */
export async function commitWrite(request: CommitRequest): Promise<string[]> {
  const { staging, target, mode, format, jobId } = request;
  if (isS3Url(target) !== isS3Url(staging)) throw new Error(`staging ${staging} and target ${target} must both be local or both s3://`);
  const existing = await visibleData(target, request.s3);
  if (mode === 'error' && existing.length > 0) throw new Error(`path already exists: ${target} (use mode 'overwrite' or 'append')`);
  return isS3Url(target)
    ? commitS3(request, mode === 'overwrite' ? existing : [])
    : commitLocal(staging, target, mode === 'overwrite' ? existing : [], jobId, format, request.files);
}

/** The chosen files, each of which must have been staged; all visible staged files when none are chosen. */
function selectStaged(staged: string[], chosen: string[] | undefined, staging: string): string[] {
  if (!chosen) return staged.filter(visible);
  const present = new Set(staged);
  const missing = chosen.find((file) => !present.has(file));
  if (missing !== undefined) throw new Error(`staged file ${missing} is missing from ${staging}`);
  return chosen;
}

async function commitLocal(staging: string, target: string, replaced: string[], jobId: string, format: FileFormat, chosen?: string[]): Promise<string[]> {
  const staged = selectStaged(
    (await readdir(staging, { recursive: true, withFileTypes: true }))
      .filter((e) => e.isFile())
      .map((e) => relative(staging, join(e.parentPath, e.name))),
    chosen,
    staging,
  );
  for (const old of replaced) await rm(join(target, old));
  await rm(join(target, '_SUCCESS'), { force: true });
  const committed: string[] = [];
  for (const file of staged) {
    const destination = join(target, committedName(file, jobId, format));
    await mkdir(dirname(destination), { recursive: true });
    await rename(join(staging, file), destination);
    committed.push(destination);
  }
  await rm(staging, { recursive: true, force: true });
  await rmdir(join(target, '_temporary')).catch((error: NodeJS.ErrnoException) => {
    // Another job still staging in the same target keeps the directory.
    if (error.code !== 'ENOTEMPTY' && error.code !== 'ENOENT') throw error;
  });
  await writeFile(join(target, '_SUCCESS'), '');
  return committed;
}

async function commitS3(request: CommitRequest, replaced: string[]): Promise<string[]> {
  const client = s3Client(request.s3);
  const staging = parseS3Url(request.staging);
  const target = parseS3Url(request.target);
  const stagingPrefix = staging.key.replace(/\/*$/, '/');
  const targetPrefix = target.key === '' ? '' : target.key.replace(/\/*$/, '/');
  const staged = await listObjects(client, staging.bucket, stagingPrefix);
  const selected = selectStaged(staged.map((o) => o.key.slice(stagingPrefix.length)), request.files, request.staging);
  if (replaced.length > 0) await deleteObjects(client, target.bucket, replaced.map((r) => targetPrefix + r));
  await deleteObjects(client, target.bucket, [`${targetPrefix}_SUCCESS`]);
  const committed: string[] = [];
  for (const relativeKey of selected) {
    const key = targetPrefix + committedName(relativeKey, request.jobId, request.format);
    await copyObject(client, { bucket: staging.bucket, key: stagingPrefix + relativeKey }, { bucket: target.bucket, key });
    committed.push(`s3://${target.bucket}/${key}`);
  }
  await deleteObjects(client, staging.bucket, staged.map((o) => o.key));
  await putObject(client, { bucket: target.bucket, key: `${targetPrefix}_SUCCESS` }, '');
  return committed;
}

/** Removes a failed job's staged files; the target is untouched. */
export async function abortWrite(staging: string, s3?: S3Config): Promise<void> {
  if (!isS3Url(staging)) return rm(staging, { recursive: true, force: true });
  const { bucket, key } = parseS3Url(staging);
  const client = s3Client(s3);
  const prefix = key.replace(/\/*$/, '/');
  await deleteObjects(client, bucket, (await listObjects(client, bucket, prefix)).map((o) => o.key));
}
