import type { Expr, FileSource, Schema } from '../plan/types.js';
import type { TaskInput } from '../physical/types.js';
import { mayMatch, simplePredicates, type SimplePredicate } from './filterPruning.js';
import { parquetFooters } from './parquetMetadata.js';
import type { IoContext } from './ioContext.js';

export type FileSplit = Extract<TaskInput, { kind: 'files' }>['files'][number];

export const DEFAULT_SPLIT_BYTES = 64 * 1024 * 1024;

/**
 * Cuts a source into task splits of about `targetSplitBytes` each. Parquet files split at row-group
 * boundaries and small files share a split; CSV and JSON split by whole file (a byte range of a CSV
 * cannot be parsed reliably without its header and quoting context). Files whose hive partition
 * values fail the filters, and row groups whose statistics show no row can pass, are left out.
 * Always returns at least one split; it has no files when everything was pruned.
 */
export async function splitFiles(
  source: FileSource & { schema: Schema },
  filters: Expr[],
  targetSplitBytes: number,
  ctx: IoContext,
): Promise<FileSplit[][]> {
  if (!(targetSplitBytes > 0)) throw new Error(`targetSplitBytes must be positive, got ${targetSplitBytes}`);
  const predicates = simplePredicates(filters);
  const typeOf = new Map(source.schema.fields.map((f) => [f.name, f.type]));
  const passes = (predicate: SimplePredicate, min?: string, max?: string, allNull?: boolean): boolean =>
    !typeOf.has(predicate.column) || mayMatch({ min, max, allNull }, typeOf.get(predicate.column)!, predicate);

  const partitionNames = new Set(source.partitionColumns.map((c) => c.name));
  const files = source.files.filter((file) =>
    predicates
      .filter((p) => partitionNames.has(p.column))
      .every((p) => {
        const value = file.partitionValues[p.column];
        const isNull = value === undefined || value === '__HIVE_DEFAULT_PARTITION__';
        return passes(p, value, value, isNull);
      }),
  );

  const packer = new SplitPacker(targetSplitBytes);
  if (source.format !== 'parquet') {
    for (const file of files) packer.add({ path: file.path, partitionValues: file.partitionValues }, file.size);
    return packer.finish();
  }
  const statPredicates = predicates.filter((p) => !partitionNames.has(p.column));
  const footers = await parquetFooters(files, ctx);
  files.forEach((file, fileIndex) => {
    const groups = footers[fileIndex]!;
    const kept = groups.filter((g) =>
      statPredicates.every((p) => {
        const stats = g.columns.find((c) => c.name === p.column);
        return !stats || passes(p, stats.min, stats.max, stats.nullCount === g.numRows && g.numRows > 0);
      }),
    );
    const whole = kept.length === groups.length;
    // A file that fits in a split is not cut across two: files written in key order then keep each
    // key's rows in one split (a key's rows can span neighbouring row groups, never two files).
    const keptBytes = kept.reduce((sum, g) => sum + g.bytes, 0);
    const fits = keptBytes <= targetSplitBytes;
    if (fits) packer.makeRoom(keptBytes);
    for (const group of kept) packer.addRowGroup(file.path, file.partitionValues, group.index, group.bytes, whole ? groups.length : undefined, !fits);
  });
  return packer.finish();
}

/** Packs files and row groups, in order, into splits of about the target size. */
class SplitPacker {
  private splits: FileSplit[][] = [];
  private current: FileSplit[] = [];
  private currentBytes = 0;
  /** For files whose row groups all fall in one split, the total row-group count so the list can be dropped. */
  private wholeFiles = new Map<FileSplit, number>();

  constructor(private readonly target: number) {}

  add(split: FileSplit, bytes: number): void {
    this.makeRoom(bytes);
    this.current.push(split);
    this.currentBytes += bytes;
  }

  addRowGroup(path: string, partitionValues: Record<string, string>, index: number, bytes: number, totalGroups?: number, makeRoom = true): void {
    if (makeRoom) this.makeRoom(bytes);
    const last = this.current.at(-1);
    if (last && last.path === path && last.rowGroups) last.rowGroups.push(index);
    else {
      const split: FileSplit = { path, partitionValues, rowGroups: [index] };
      this.current.push(split);
      if (totalGroups !== undefined) this.wholeFiles.set(split, totalGroups);
    }
    this.currentBytes += bytes;
  }

  /** Starts a new split unless `bytes` more fit in the current one. */
  makeRoom(bytes: number): void {
    if (this.current.length > 0 && this.currentBytes + bytes > this.target) this.flush();
  }

  private flush(): void {
    for (const split of this.current) {
      if (this.wholeFiles.get(split) === split.rowGroups?.length) delete split.rowGroups;
    }
    this.splits.push(this.current);
    this.current = [];
    this.currentBytes = 0;
  }

  finish(): FileSplit[][] {
    if (this.current.length > 0 || this.splits.length === 0) this.flush();
    return this.splits;
  }
}
