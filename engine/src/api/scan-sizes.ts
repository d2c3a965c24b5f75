/**
 * Compressed bytes of the columns each Parquet scan of a plan reads, from the files' footers: what
 * a broadcast decision should weigh. A scan's schema is already pruned to the columns it reads, so
 * the file-size share the planner falls back on cannot tell 2 of 16 columns from 16 of 16.
 *
 * The footers come from the footer cache the file splitter reads too (S3 footers are fetched once
 * and serve both), so sizing a plan over files read before costs no IO.
 */
import type { IoContext } from '../io/ioContext.js';
import { parquetFooters, type ParquetFile, type RowGroupInfo } from '../io/parquetMetadata.js';
import type { KnownScanBytes, ScanNode } from '../physical/estimate.js';
import type { LogicalPlan } from '../plan/types.js';

const scanKey = (scan: ScanNode) =>
  JSON.stringify([scan.source.files.map((f) => f.path), scan.projection ?? scan.schema.fields.map((f) => f.name)]);

function parquetScans(plan: LogicalPlan, into: ScanNode[] = []): ScanNode[] {
  if (plan.op === 'scan') {
    if (plan.source.format === 'parquet' && plan.source.files.length > 0) into.push(plan);
    return into;
  }
  const children = plan.op === 'join' ? [plan.left, plan.right] : plan.op === 'union' ? plan.inputs
    : plan.op === 'opaque' ? Object.values(plan.inputs) : 'input' in plan ? [plan.input] : [];
  for (const child of children) parquetScans(child, into);
  return into;
}

/** Compressed bytes of the chunks of top-level `columns` (a nested column's leaves are paths under its name). */
function columnBytes(footer: RowGroupInfo[], columns: Set<string>): number {
  let bytes = 0;
  for (const group of footer) {
    for (const chunk of group.columns) {
      const comma = chunk.name.indexOf(', ');
      if (columns.has(comma < 0 ? chunk.name : chunk.name.slice(0, comma))) bytes += chunk.compressedBytes;
    }
  }
  return bytes;
}

export async function parquetScanBytes(plan: LogicalPlan, ctx: IoContext): Promise<KnownScanBytes> {
  const scans = new Map<string, ScanNode>();
  for (const scan of parquetScans(plan)) scans.set(scanKey(scan), scan);
  // Every file of every scan in one lookup, so the uncached footers are read together.
  const files = new Map<string, ParquetFile>();
  for (const scan of scans.values()) for (const file of scan.source.files) files.set(file.path, { path: file.path, size: file.size });
  const footers = await parquetFooters([...files.values()], ctx);
  const footerOf = new Map([...files.keys()].map((path, i) => [path, footers[i]!]));

  const sizes = new Map<string, number>();
  for (const [key, scan] of scans) {
    const partitionColumns = new Set(scan.source.partitionColumns.map((f) => f.name));
    const columns = new Set((scan.projection ?? scan.schema.fields.map((f) => f.name)).filter((c) => !partitionColumns.has(c)));
    sizes.set(key, scan.source.files.reduce((sum, file) => sum + columnBytes(footerOf.get(file.path)!, columns), 0));
  }
  return (scan) => sizes.get(scanKey(scan));
}
