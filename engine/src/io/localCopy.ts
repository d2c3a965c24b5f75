import { createHash } from 'node:crypto';
import { mkdir, rename, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { downloadObject } from './s3Objects.js';
import { s3Client } from './s3Config.js';
import { isS3Url, parseS3Url } from './s3Url.js';
import type { IoContext } from './ioContext.js';

/**
 * A local path DuckDB can read for a file: the path itself, or a whole-object download of an s3://
 * object into the scratch cache (reused while the object's size is unchanged). Used for CSV and JSON,
 * which have no footer to read selectively, and for Parquet files read in full.
 */
export async function localCopy(path: string, size: number, ctx: IoContext): Promise<string> {
  if (!isS3Url(path)) return path;
  const digest = createHash('sha256').update(`${path}\n${size}`).digest('hex').slice(0, 32);
  const dir = join(ctx.scratchDir, 's3-download');
  const local = join(dir, `${digest}${extname(path)}`);
  const existing = await stat(local).catch(() => undefined);
  if (existing?.size === size) return local;
  await mkdir(dir, { recursive: true });
  const temporary = `${local}.${process.pid}.${Date.now()}.tmp`;
  await downloadObject(s3Client(ctx.s3), parseS3Url(path), temporary, ctx.signal);
  await rename(temporary, local);
  return local;
}
