import { statSync } from 'node:fs';
import { s3Client } from './s3Config.js';
import { ensureMirror } from './s3ParquetCache.js';
import { isS3Url } from './s3Url.js';
import { quoteStringList } from '../plan/sql-quote.js';
import { queryRows } from './duckdbRows.js';
import { footerCacheOf } from './parquetFooterCache.js';
import type { IoContext } from './ioContext.js';

export interface ColumnChunkStats {
  /** DuckDB's path_in_schema: the column's name, or `parent, child` for a leaf of a nested column. */
  name: string;
  /** Statistics as DuckDB prints them ('1995-03-15', '10.25', 'abc'); undefined when the writer kept none. */
  min?: string;
  max?: string;
  nullCount?: number;
  /** Compressed bytes of this column chunk. */
  compressedBytes: number;
}

export interface RowGroupInfo {
  index: number;
  numRows: number;
  /** Compressed bytes of all column chunks. */
  bytes: number;
  /** Row number (within the file) of the row group's first row. */
  firstRow: number;
  /** Bytes [start, end) of the file that hold this row group's column chunks. */
  byteRange: [number, number];
  columns: ColumnChunkStats[];
}

export interface ParquetFile {
  path: string;
  /** The object's size: required for s3:// (the footer is found from the end); local files are stat'ed. */
  size?: number;
}

/** Uncached footers read per DuckDB call; bounds the length of the generated query. */
const FOOTERS_PER_QUERY = 500;
/** S3 footers fetched at once. */
const S3_FETCH_CONCURRENCY = 16;

/** Row groups of a Parquet file with their statistics; for s3:// only the footer is fetched. */
export async function parquetRowGroups(path: string, ctx: IoContext, size?: number): Promise<RowGroupInfo[]> {
  const [groups] = await parquetFooters([{ path, ...(size === undefined ? {} : { size }) }], ctx);
  return groups!;
}

/**
 * Row groups of each file, in the order given. Footers come from the process's footer cache when the
 * file has not changed since they were read; the others are read together, in one DuckDB call.
 */
export async function parquetFooters(files: readonly ParquetFile[], ctx: IoContext): Promise<RowGroupInfo[][]> {
  const cache = footerCacheOf(ctx.connection);
  // The version is taken before any read: a file changing during the read is cached under its
  // older version, so the next lookup misses and reads it again rather than serving it stale.
  const versions = files.map(fileVersion);
  const found = files.map((file, i) => cache.get(file.path, versions[i]!));
  const missing = new Map<string, { file: ParquetFile; version: string }>();
  files.forEach((file, i) => {
    if (!found[i]) missing.set(file.path, { file, version: versions[i]! });
  });
  const read = new Map<string, RowGroupInfo[]>();
  const pending = [...missing.values()];
  for (let start = 0; start < pending.length; start += FOOTERS_PER_QUERY) {
    const batch = pending.slice(start, start + FOOTERS_PER_QUERY);
    const groups = await readFooters(batch.map((m) => m.file), ctx);
    batch.forEach(({ file, version }, i) => {
      read.set(file.path, groups[i]!);
      cache.set(file.path, version, groups[i]!);
    });
  }
  return files.map((file, i) => found[i] ?? read.get(file.path)!);
}

/**
 * Names one version of a file's bytes. Local files: device, inode, size, modification and change
 * times (a file replaced by a rename has a new inode; one rewritten in place, even with its old
 * modification time restored, has a new change time). S3 objects: the URL and the size the listing
 * reported, the same identity the local footer mirror uses.
 */
function fileVersion(file: ParquetFile): string {
  if (isS3Url(file.path)) {
    if (file.size === undefined) throw new Error(`the size of ${file.path} is needed to read its footer`);
    return `s3 ${file.size}`;
  }
  let info;
  try {
    // Synchronous on purpose: a local stat takes microseconds, a trip through the thread pool (shared
    // with DuckDB's and fetch's callbacks) several times that, and every query stats every file it scans.
    info = statSync(file.path, { bigint: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`cannot read the Parquet footer of ${file.path}: no such file`, { cause: error });
    throw error;
  }
  if (!info.isFile()) throw new Error(`cannot read the Parquet footer of ${file.path}: not a file`);
  return `${info.dev} ${info.ino} ${info.size} ${info.mtimeNs} ${info.ctimeNs}`;
}

/** The on-disk files DuckDB can read metadata from: each path itself, or an S3 object's local footer mirror. */
async function metadataPaths(files: readonly ParquetFile[], ctx: IoContext): Promise<string[]> {
  const paths = files.map((f) => f.path);
  const remote = files.flatMap((file, i) => (isS3Url(file.path) ? [i] : []));
  for (let start = 0; start < remote.length; start += S3_FETCH_CONCURRENCY) {
    await Promise.all(
      remote.slice(start, start + S3_FETCH_CONCURRENCY).map(async (i) => {
        paths[i] = await ensureMirror(s3Client(ctx.s3), files[i]!.path, files[i]!.size!, ctx.scratchDir, [], ctx.signal);
      }),
    );
  }
  return paths;
}

/** Reads the footers of `files` in one parquet_metadata call. */
async function readFooters(files: readonly ParquetFile[], ctx: IoContext): Promise<RowGroupInfo[][]> {
  const local = await metadataPaths(files, ctx);
  const fileIndex = new Map(local.map((path, i) => [path, i]));
  const result = await queryRows(
    ctx.connection,
    `SELECT file_name, row_group_id, row_group_num_rows, path_in_schema, stats_min_value, stats_max_value, stats_null_count,
            coalesce(least(dictionary_page_offset, data_page_offset), data_page_offset) AS chunk_start,
            total_compressed_size
       FROM parquet_metadata(${quoteStringList(local)}) ORDER BY file_name, row_group_id, column_id`,
  );
  const footers: RowGroupInfo[][] = files.map(() => []);
  // Column names repeat in every row group: share one string per name within a batch.
  const names = new Map<string, string>();
  for (const [fileName, groupId, numRows, pathInSchema, min, max, nullCount, chunkStart, compressed] of result.rows) {
    const file = fileIndex.get(String(fileName));
    if (file === undefined) throw new Error(`internal: parquet_metadata answered for ${String(fileName)}, which was not asked for`);
    const groups = footers[file]!;
    const index = Number(groupId);
    let group = groups[index];
    if (!group) {
      const previous = groups[index - 1];
      group = groups[index] = {
        index,
        numRows: Number(numRows),
        bytes: 0,
        firstRow: previous ? previous.firstRow + previous.numRows : 0,
        byteRange: [Number.MAX_SAFE_INTEGER, 0],
        columns: [],
      };
    }
    const start = Number(chunkStart);
    const length = Number(compressed);
    group.bytes += length;
    group.byteRange = [Math.min(group.byteRange[0], start), Math.max(group.byteRange[1], start + length)];
    const name = String(pathInSchema);
    if (!names.has(name)) names.set(name, name);
    group.columns.push({
      name: names.get(name)!,
      min: min === null ? undefined : String(min),
      max: max === null ? undefined : String(max),
      nullCount: nullCount === null ? undefined : Number(nullCount),
      compressedBytes: length,
    });
  }
  return footers;
}
