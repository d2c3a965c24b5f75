import { s3Client } from './s3Config.js';
import { ensureMirror } from './s3ParquetCache.js';
import { isS3Url } from './s3Url.js';
import { quoteString } from '../plan/sql-quote.js';
import type { IoContext } from './ioContext.js';

export interface ColumnChunkStats {
  name: string;
  /** Statistics as DuckDB prints them ('1995-03-15', '10.25', 'abc'); undefined when the writer kept none. */
  min?: string;
  max?: string;
  nullCount?: number;
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

/** The on-disk file DuckDB can read metadata from: the path itself, or an S3 object's local footer mirror. */
async function metadataPath(path: string, ctx: IoContext, size?: number): Promise<string> {
  if (!isS3Url(path)) return path;
  if (size === undefined) throw new Error(`the size of ${path} is needed to read its footer`);
  return ensureMirror(s3Client(ctx.s3), path, size, ctx.scratchDir, [], ctx.signal);
}

/** Row groups of a Parquet file with their statistics; for s3:// only the footer is fetched. */
export async function parquetRowGroups(path: string, ctx: IoContext, size?: number): Promise<RowGroupInfo[]> {
  const local = await metadataPath(path, ctx, size);
  const reader = await ctx.connection.runAndReadAll(
    `SELECT row_group_id, row_group_num_rows, path_in_schema, stats_min_value, stats_max_value, stats_null_count,
            coalesce(least(dictionary_page_offset, data_page_offset), data_page_offset) AS chunk_start,
            total_compressed_size
       FROM parquet_metadata(${quoteString(local)}) ORDER BY row_group_id, column_id`,
  );
  const groups: RowGroupInfo[] = [];
  for (const row of reader.getRowObjectsJson()) {
    const index = Number(row.row_group_id);
    let group = groups[index];
    if (!group) {
      const previous = groups[index - 1];
      group = groups[index] = {
        index,
        numRows: Number(row.row_group_num_rows),
        bytes: 0,
        firstRow: previous ? previous.firstRow + previous.numRows : 0,
        byteRange: [Number.MAX_SAFE_INTEGER, 0],
        columns: [],
      };
    }
    const start = Number(row.chunk_start);
    const length = Number(row.total_compressed_size);
    group.bytes += length;
    group.byteRange = [Math.min(group.byteRange[0], start), Math.max(group.byteRange[1], start + length)];
    group.columns.push({
      name: String(row.path_in_schema),
      min: row.stats_min_value === null ? undefined : String(row.stats_min_value),
      max: row.stats_max_value === null ? undefined : String(row.stats_max_value),
      nullCount: row.stats_null_count === null ? undefined : Number(row.stats_null_count),
    });
  }
  return groups;
}
