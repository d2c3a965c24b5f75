/**
 * Compressed bytes of the columns each Parquet scan of a plan reads, from the files' footers: what
 * a broadcast decision should weigh. A scan's schema is already pruned to the columns it reads, so
 * the file-size share the planner falls back on cannot tell 2 of 16 columns from 16 of 16.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { KnownScanBytes, ScanNode } from '../physical/estimate.js';
import { quoteString } from '../plan/render.js';
import type { LogicalPlan } from '../plan/types.js';

const scanKey = (scan: ScanNode) =>
  JSON.stringify([scan.source.files.map((f) => f.path), scan.projection ?? scan.schema.fields.map((f) => f.name)]);

function parquetScans(plan: LogicalPlan, into: ScanNode[] = []): ScanNode[] {
  if (plan.op === 'scan') {
    // Remote files would cost a request per footer here; they keep the file-size estimate.
    if (plan.source.format === 'parquet' && plan.source.files.length > 0 && plan.source.files.every((f) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(f.path))) into.push(plan);
    return into;
  }
  const children = plan.op === 'join' ? [plan.left, plan.right] : plan.op === 'union' ? plan.inputs
    : plan.op === 'opaque' ? Object.values(plan.inputs) : 'input' in plan ? [plan.input] : [];
  for (const child of children) parquetScans(child, into);
  return into;
}

export async function parquetScanBytes(plan: LogicalPlan, connection: DuckDBConnection): Promise<KnownScanBytes> {
  const sizes = new Map<string, number>();
  for (const scan of parquetScans(plan)) {
    const key = scanKey(scan);
    if (sizes.has(key)) continue;
    const partitionColumns = new Set(scan.source.partitionColumns.map((f) => f.name));
    const columns = (scan.projection ?? scan.schema.fields.map((f) => f.name)).filter((c) => !partitionColumns.has(c));
    const files = `[${scan.source.files.map((f) => quoteString(f.path)).join(', ')}]`;
    // Top-level columns; a nested column's leaves are paths under its name.
    const wanted = columns.length ? columns.map((c) => `split_part(path_in_schema, ', ', 1) = ${quoteString(c)}`).join(' OR ') : 'false';
    const reader = await connection.runAndReadAll(`SELECT coalesce(sum(total_compressed_size), 0) FROM parquet_metadata(${files}) WHERE ${wanted}`);
    sizes.set(key, Number(reader.getRows()[0]?.[0] ?? 0));
  }
  return (scan) => sizes.get(scanKey(scan));
}
