/**
 * Which integer columns a scan's splits hold in disjoint value ranges, from Parquet statistics.
 * Files written in key order (orders and lineitem by order key, a table bucketed by id) put each
 * key's rows in one split, so an aggregate grouped by that column needs no shuffle, and two tables
 * whose splits hold the same key ranges join split by split.
 */
import type { ClusteredColumn, FileSplit } from '../physical/context.js';
import type { FileSource, Schema } from '../plan/types.js';
import type { IoContext } from './ioContext.js';
import { parquetFooters, type RowGroupInfo } from './parquetMetadata.js';
import { disjointRanges } from '../physical/clustering.js';

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT']);

/**
 * Every integer column (not a hive partition column) whose values in each split lie in a range no
 * other split's range meets, with those ranges; a column qualifies only if every row group read has
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
    const ranges = splits.map((split) => splitRange(split, column, groupsOf));
    if (ranges.every((r): r is [bigint, bigint] => r !== undefined) && disjointRanges(ranges)) clustered.push({ column, ranges });
  }
  return clustered;
}

/** The smallest and largest value of `column` in a split ([1, 0] when it reads no row); undefined without usable statistics. */
function splitRange(split: FileSplit[], column: string, groupsOf: Map<string, RowGroupInfo[]>): [bigint, bigint] | undefined {
  let lo: bigint | undefined;
  let hi: bigint | undefined;
  for (const file of split) {
    const groups = groupsOf.get(file.path)!;
    for (const group of file.rowGroups ? file.rowGroups.map((i) => groups[i]) : groups) {
      if (!group) return undefined;
      if (group.numRows === 0) continue;
      const stats = group.columns.find((c) => c.name === column);
      if (!stats || stats.min === undefined || stats.max === undefined || stats.nullCount !== 0) return undefined;
      const [min, max] = [integer(stats.min), integer(stats.max)];
      if (min === undefined || max === undefined) return undefined;
      if (lo === undefined || min < lo) lo = min;
      if (hi === undefined || max > hi) hi = max;
    }
  }
  return lo === undefined || hi === undefined ? [1n, 0n] : [lo, hi];
}

function integer(text: string): bigint | undefined {
  return /^-?\d+$/.test(text) ? BigInt(text) : undefined;
}
