/**
 * Which integer columns a scan's splits hold in disjoint value ranges, from Parquet statistics.
 * Files written in key order (orders and lineitem by order key, a table bucketed by id) put each
 * key's rows in one split, so an aggregate grouped by that column needs no shuffle, and two tables
 * whose splits hold the same key ranges join split by split.
 */
import type { ClusteredColumn, FileSplit, ValueRange } from '../physical/context.js';
import type { FileSource, Schema } from '../plan/types.js';
import type { IoContext } from './ioContext.js';
import { parquetFooters, type RowGroupInfo } from './parquetMetadata.js';
import { disjointTasks } from '../physical/clustering.js';

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT']);

/**
 * Every integer column (not a hive partition column) whose values in each split lie in ranges no
 * other split's ranges meet, with those ranges; a column qualifies only if every row group read has
 * statistics for it and no NULL (NULLs would be one group spread over several splits).
 */
export async function clusteredColumns(source: FileSource & { schema: Schema }, splits: FileSplit[][], ctx: IoContext): Promise<ClusteredColumn[]> {
  if (source.format !== 'parquet' || splits.length < 2) return [];
  const partitionNames = new Set(source.partitionColumns.map((c) => c.name));
  const candidates = source.schema.fields.filter((f) => INTEGER_TYPES.has(f.type.toUpperCase()) && !partitionNames.has(f.name)).map((f) => f.name);
  if (candidates.length === 0) return [];
  const sizes = new Map(source.files.map((f) => [f.path, f.size]));
  const paths = [...new Set(splits.flat().map((s) => s.path))];
  const footers = await parquetFooters(paths.map((path) => ({ path, ...(sizes.has(path) ? { size: sizes.get(path)! } : {}) })), ctx);
  const groupsOf = new Map(paths.map((path, i) => [path, footers[i]!]));
  const clustered: ClusteredColumn[] = [];
  for (const column of candidates) {
    const ranges = splits.map((split) => splitRanges(split, column, groupsOf));
    if (ranges.every((r): r is ValueRange[] => r !== undefined) && disjointTasks(ranges)) clustered.push({ column, ranges });
  }
  return clustered;
}

/** The ranges of `column` in a split's row groups, neighbours joined; undefined without usable statistics. */
function splitRanges(split: FileSplit[], column: string, groupsOf: Map<string, RowGroupInfo[]>): ValueRange[] | undefined {
  const ranges: ValueRange[] = [];
  for (const file of split) {
    const groups = groupsOf.get(file.path)!;
    for (const group of file.rowGroups ? file.rowGroups.map((i) => groups[i]) : groups) {
      if (!group) return undefined;
      if (group.numRows === 0) continue;
      const stats = group.columns.find((c) => c.name === column);
      if (!stats || stats.min === undefined || stats.max === undefined || stats.nullCount !== 0) return undefined;
      const [min, max] = [integer(stats.min), integer(stats.max)];
      if (min === undefined || max === undefined) return undefined;
      ranges.push([min, max]);
    }
  }
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const joined: ValueRange[] = [];
  for (const range of ranges) {
    const last = joined.at(-1);
    if (last && range[0] <= last[1] + 1n) last[1] = range[1] > last[1] ? range[1] : last[1];
    else joined.push([range[0], range[1]]);
  }
  return joined;
}

function integer(text: string): bigint | undefined {
  return /^-?\d+$/.test(text) ? BigInt(text) : undefined;
}
