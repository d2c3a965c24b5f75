/**
 * Parquet footers the process has already read, so repeated queries over the same files neither
 * re-read nor re-decode them: the planner splits files by row group and sizes scans by column from
 * these, every query. An entry is served only for the exact version of the file it was read from
 * (see parquetMetadata.ts for how a version is named), so a rewritten file is read again.
 *
 * Memory is bounded by column chunks (one per column per row group, each holding a name, min/max
 * statistics and sizes, roughly 200 bytes): least recently used files are dropped past the limit.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RowGroupInfo } from './parquetMetadata.js';

/** About 20 MB of statistics: every footer of TPC-H at scale factor 100 fits. */
export const DEFAULT_MAX_COLUMN_CHUNKS = 100_000;

interface Entry {
  version: string;
  rowGroups: RowGroupInfo[];
  columnChunks: number;
}

export class ParquetFooterCache {
  /** Insertion order is recency order: a hit moves its entry to the end. */
  private readonly entries = new Map<string, Entry>();
  private heldChunks = 0;

  constructor(readonly maxColumnChunks = DEFAULT_MAX_COLUMN_CHUNKS) {
    if (!Number.isSafeInteger(maxColumnChunks) || maxColumnChunks < 1) {
      throw new Error(`the footer cache needs a positive whole number of column chunks, got ${maxColumnChunks}`);
    }
  }

  /** The row groups read from `path` at `version`; undefined (and the stale entry dropped) for any other version. */
  get(path: string, version: string): RowGroupInfo[] | undefined {
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    this.remove(path, entry);
    if (entry.version !== version) return undefined;
    this.entries.set(path, entry);
    this.heldChunks += entry.columnChunks;
    return entry.rowGroups;
  }

  set(path: string, version: string, rowGroups: RowGroupInfo[]): void {
    const previous = this.entries.get(path);
    if (previous) this.remove(path, previous);
    // Empty files still cost a map entry: count them as one chunk so the entry count is bounded too.
    const columnChunks = Math.max(1, rowGroups.reduce((n, group) => n + group.columns.length, 0));
    // A footer bigger than the whole budget is not kept: it would evict everything else and then itself.
    if (columnChunks > this.maxColumnChunks) return;
    this.entries.set(path, { version, rowGroups, columnChunks });
    this.heldChunks += columnChunks;
    for (const [oldest, entry] of this.entries) {
      if (this.heldChunks <= this.maxColumnChunks) break;
      this.remove(oldest, entry);
    }
  }

  /** Files held. */
  get size(): number {
    return this.entries.size;
  }

  /** Column chunks held (what the limit counts). */
  get columnChunks(): number {
    return this.heldChunks;
  }

  private remove(path: string, entry: Entry): void {
    this.entries.delete(path);
    this.heldChunks -= entry.columnChunks;
  }
}

const cacheByConnection = new WeakMap<DuckDBConnection, ParquetFooterCache>();

/**
 * The footer cache of the process part that owns `connection`: the driver's Session or a worker.
 * It goes away with the connection.
 */
export function footerCacheOf(connection: DuckDBConnection): ParquetFooterCache {
  let cache = cacheByConnection.get(connection);
  if (!cache) cacheByConnection.set(connection, (cache = new ParquetFooterCache()));
  return cache;
}
