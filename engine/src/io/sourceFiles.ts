import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { globBase, globToRegExp, hasGlob } from './glob.js';
import { hivePartitionValues, isHiddenName } from './hivePartitions.js';
import { listObjects, objectSize } from './s3Objects.js';
import { s3Client, type S3Config } from './s3Config.js';
import { isS3Url, parseS3Url } from './s3Url.js';

export interface SourceFile {
  path: string;
  size: number;
  partitionValues: Record<string, string>;
}

/**
 * Expands what the user gave (files, directories, globs; local or s3://) into data files, sorted by
 * path. Directories are read recursively, leaving out `_`- and `.`-prefixed entries (`_SUCCESS`,
 * `_temporary`, `.crc` files); `key=value` directories below the given root become partition values.
 */
export async function listSourceFiles(paths: string[], s3?: S3Config): Promise<SourceFile[]> {
  if (paths.length === 0) throw new Error('no paths given');
  const found: SourceFile[] = [];
  for (const path of paths) found.push(...(isS3Url(path) ? await listS3(path, s3) : await listLocal(path)));
  const unique = new Map(found.map((f) => [f.path, f]));
  return [...unique.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function visible(relativePath: string): boolean {
  return !relativePath.split('/').some(isHiddenName);
}

async function walk(dir: string): Promise<{ path: string; size: number }[]> {
  const out: { path: string; size: number }[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push({ path, size: (await stat(path)).size });
  }
  return out;
}

async function listLocal(given: string): Promise<SourceFile[]> {
  const path = resolve(given);
  if (hasGlob(given)) {
    const base = globBase(path);
    const pattern = globToRegExp(path);
    const baseStat = await stat(base).catch(() => undefined);
    const files = baseStat?.isDirectory() ? await walk(base) : [];
    const matched = files
      .map((f) => ({ ...f, relative: f.path.slice(base.length) }))
      .filter((f) => pattern.test(f.path) && visible(f.relative));
    if (matched.length === 0) throw new Error(`no files match: ${given}`);
    return matched.map((f) => ({ path: f.path, size: f.size, partitionValues: hivePartitionValues(f.relative) }));
  }
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new Error(`no such file: ${given}`);
  if (info.isFile()) return [{ path, size: info.size, partitionValues: {} }];
  const files = (await walk(path))
    .map((f) => ({ ...f, relative: f.path.slice(path.length + 1) }))
    .filter((f) => visible(f.relative));
  if (files.length === 0) throw new Error(`no data files in directory: ${given}`);
  return files.map((f) => ({ path: f.path, size: f.size, partitionValues: hivePartitionValues(f.relative) }));
}

async function listS3(given: string, config?: S3Config): Promise<SourceFile[]> {
  const client = s3Client(config);
  const { bucket, key } = parseS3Url(given);
  const toFile = (objectKey: string, size: number, root: string): SourceFile => ({
    path: `s3://${bucket}/${objectKey}`,
    size,
    partitionValues: hivePartitionValues(objectKey.slice(root.length)),
  });
  if (hasGlob(key)) {
    const base = globBase(key);
    const pattern = globToRegExp(key);
    const matched = (await listObjects(client, bucket, base)).filter(
      (o) => pattern.test(o.key) && visible(o.key.slice(base.length)),
    );
    if (matched.length === 0) throw new Error(`no files match: ${given}`);
    return matched.map((o) => toFile(o.key, o.size, base));
  }
  if (key !== '' && !key.endsWith('/')) {
    const size = await objectSize(client, { bucket, key });
    if (size !== undefined) return [{ path: `s3://${bucket}/${key}`, size, partitionValues: {} }];
  }
  const prefix = key === '' || key.endsWith('/') ? key : `${key}/`;
  const all = await listObjects(client, bucket, prefix);
  if (all.length === 0) throw new Error(`no such file: ${given}`);
  const files = all.filter((o) => !o.key.endsWith('/') && visible(o.key.slice(prefix.length)));
  if (files.length === 0) throw new Error(`no data files in directory: ${given}`);
  return files.map((o) => toFile(o.key, o.size, prefix));
}
