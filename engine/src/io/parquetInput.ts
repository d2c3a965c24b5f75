import { parquetRowGroups, type RowGroupInfo } from './parquetMetadata.js';
import { localCopy } from './localCopy.js';
import { branchSelectList } from './partitionProjection.js';
import { ensureMirror } from './s3ParquetCache.js';
import { s3Client } from './s3Config.js';
import { isS3Url, parseS3Url } from './s3Url.js';
import { readFilesSql } from './scanSql.js';
import { requireObjectSize } from './s3Objects.js';
import type { Schema } from '../plan/types.js';
import type { FileSplit } from './splitFiles.js';
import type { IoContext } from './ioContext.js';

/**
 * Contiguous runs of the selected row groups as inclusive file-row-number ranges.
 *
 * Reading only some row groups: DuckDB 1.5 prunes a Parquet row group when a single
 * `file_row_number BETWEEN lo AND hi` conjunct excludes all of its rows, and then never reads its
 * pages (verified in parquetInput.test.ts on a file whose other row groups are zero-filled holes).
 * A disjunction of several ranges is NOT reliably pruned once other filters are present, so each run
 * gets its own read_parquet branch and the branches are combined with UNION ALL.
 */
export function rowNumberRuns(groups: RowGroupInfo[], selected: number[]): [number, number][] {
  const runs: [number, number][] = [];
  for (const index of [...new Set(selected)].sort((a, b) => a - b)) {
    const group = groups[index];
    if (!group) throw new Error(`row group ${index} does not exist (the file has ${groups.length})`);
    if (group.numRows === 0) continue;
    const last = runs.at(-1);
    if (last && last[1] + 1 === group.firstRow) last[1] = group.firstRow + group.numRows - 1;
    else runs.push([group.firstRow, group.firstRow + group.numRows - 1]);
  }
  return runs;
}

/**
 * UNION ALL branches reading the split's Parquet files; S3 objects are mirrored locally first. Whole
 * files of one partition directory are read by one multi-file scan: DuckDB binds a scan by opening
 * its first file, where a branch per file opened every file's footer while the task's statement was
 * planned.
 */
export async function parquetBranches(
  files: FileSplit[],
  requested: string[],
  schema: Schema,
  ctx: IoContext,
): Promise<string[]> {
  const branches: string[] = [];
  let whole: { select: string; partition: string; paths: string[] } | undefined;
  const flushWhole = () => {
    if (whole) branches.push(`SELECT ${whole.select} FROM ${readFilesSql('parquet', whole.paths)}`);
    whole = undefined;
  };
  for (const file of files) {
    const partitionValues = file.partitionValues ?? {};
    const select = branchSelectList(requested, schema, partitionValues);
    if (!file.rowGroups) {
      const local = isS3Url(file.path) ? await localCopy(file.path, await sizeOf(file, ctx), ctx) : file.path;
      const partition = JSON.stringify(partitionValues);
      if (whole?.partition !== partition) flushWhole();
      (whole ??= { select, partition, paths: [] }).paths.push(local);
      continue;
    }
    flushWhole();
    let local = file.path;
    let groups: RowGroupInfo[];
    if (isS3Url(file.path)) {
      const size = await sizeOf(file, ctx);
      groups = await parquetRowGroups(file.path, ctx, size);
      const ranges = file.rowGroups.map((i) => groups[i]?.byteRange).filter((r): r is [number, number] => r !== undefined);
      local = await ensureMirror(s3Client(ctx.s3), file.path, size, ctx.scratchDir, ranges, ctx.signal);
    } else {
      groups = await parquetRowGroups(file.path, ctx);
    }
    for (const [lo, hi] of rowNumberRuns(groups, file.rowGroups)) {
      branches.push(
        `SELECT ${select} FROM ${readFilesSql('parquet', [local], undefined, ['file_row_number = true'])} ` +
          `WHERE file_row_number BETWEEN ${lo} AND ${hi}`,
      );
    }
  }
  flushWhole();
  return branches;
}

/** Task inputs carry no sizes, so an S3 object's size (needed to find its footer) comes from a HEAD. */
function sizeOf(file: FileSplit, ctx: IoContext): Promise<number> {
  return requireObjectSize(s3Client(ctx.s3), parseS3Url(file.path), ctx.signal);
}
