import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { readRange } from './s3Objects.js';
import { parseS3Url } from './s3Url.js';

/**
 * S3 Parquet objects are mirrored as sparse local files of the object's exact size: the footer and
 * the row groups a task needs are fetched with ranged GETs and written at their own offsets; every
 * other byte is a hole that is never fetched. DuckDB then reads the local file, and because Quire
 * restricts each scan to whole fetched row groups (see parquetScanSql) it never touches a hole.
 */

const SPECULATIVE_TAIL_BYTES = 64 * 1024;
const MAGIC = Buffer.from('PAR1');

interface MirrorState {
  size: number;
  /** Byte ranges [start, end) already present in the local file. */
  ranges: [number, number][];
}

const locks = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task on the same mirror, so concurrent tasks never race on it. */
function serialize<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = locks.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(task);
  locks.set(key, next);
  // Forget the chain once it is idle so the map does not grow with every file ever read.
  const forget = () => {
    if (locks.get(key) === next) locks.delete(key);
  };
  next.then(forget, forget);
  return next;
}

export function mirrorPath(cacheDir: string, url: string, size: number): string {
  const digest = createHash('sha256').update(`${url}\n${size}`).digest('hex').slice(0, 32);
  return join(cacheDir, 's3-mirror', `${digest}.parquet`);
}

async function readState(path: string): Promise<MirrorState | undefined> {
  try {
    return JSON.parse(await readFile(`${path}.ranges.json`, 'utf8')) as MirrorState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function missing(state: MirrorState, start: number, end: number): [number, number][] {
  const gaps: [number, number][] = [];
  let cursor = start;
  for (const [s, e] of [...state.ranges].sort((a, b) => a[0] - b[0])) {
    if (e <= cursor || s >= end) continue;
    if (s > cursor) gaps.push([cursor, s]);
    cursor = Math.max(cursor, e);
  }
  if (cursor < end) gaps.push([cursor, end]);
  return gaps;
}

/**
 * Makes sure the local mirror of `url` holds the footer and the given byte ranges; returns its path.
 * Reads are ranged GETs of only the missing bytes.
 */
export function ensureMirror(
  client: S3Client,
  url: string,
  size: number,
  cacheDir: string,
  ranges: [number, number][] = [],
  signal?: AbortSignal,
): Promise<string> {
  const path = mirrorPath(cacheDir, url, size);
  return serialize(path, async () => {
    const location = parseS3Url(url);
    await mkdir(join(cacheDir, 's3-mirror'), { recursive: true });
    let state = await readState(path);
    if (!state || state.size !== size) {
      if (size < 12) throw new Error(`${url} is not a Parquet file: only ${size} bytes`);
      const tailStart = Math.max(0, size - SPECULATIVE_TAIL_BYTES);
      let tail = await readRange(client, location, tailStart, size, signal);
      if (!tail.subarray(tail.length - 4).equals(MAGIC)) throw new Error(`${url} is not a Parquet file: no PAR1 footer magic`);
      const footerLength = tail.readUInt32LE(tail.length - 8);
      const footerStart = size - 8 - footerLength;
      if (footerStart < 4) throw new Error(`${url} is not a Parquet file: footer length ${footerLength} exceeds the object`);
      if (footerStart < tailStart) {
        tail = Buffer.concat([await readRange(client, location, footerStart, tailStart, signal), tail]);
      }
      const tailOffset = Math.min(footerStart, tailStart);
      const temporary = `${path}.${process.pid}.tmp`;
      const handle = await open(temporary, 'w');
      try {
        await handle.truncate(size);
        await handle.write(MAGIC, 0, 4, 0);
        await handle.write(tail, 0, tail.length, tailOffset);
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
      state = { size, ranges: [[0, 4], [tailOffset, size]] };
      await writeFile(`${path}.ranges.json`, JSON.stringify(state));
    }
    const gaps = ranges.flatMap(([start, end]) => missing(state!, start, end));
    if (gaps.length > 0) {
      const handle = await open(path, 'r+');
      try {
        for (const [start, end] of gaps) {
          const bytes = await readRange(client, location, start, end, signal);
          await handle.write(bytes, 0, bytes.length, start);
          state.ranges.push([start, end]);
        }
      } finally {
        await handle.close();
      }
      await writeFile(`${path}.ranges.json`, JSON.stringify(state));
    }
    return path;
  });
}
