/**
 * A deliberately simple size estimate used for the broadcast decision when the Session gives none:
 * scans count the compressed bytes of the columns they read when the caller knows them (Parquet
 * footers), else their files' bytes scaled by the share of columns read; operators never grow their
 * input except joins and unions. Filters are not counted, so it errs high: a join is only broadcast
 * when that is safe.
 */
import type { LogicalPlan } from '../plan/types.js';

export type ScanNode = Extract<LogicalPlan, { op: 'scan' }>;
/** Bytes a scan reads when something better than the file-size share is known (Parquet column sizes). */
export type KnownScanBytes = (scan: ScanNode) => number | undefined;

/** Bytes per row assumed for generated rows (range) and Arrow-encoded values. */
const BYTES_PER_VALUE = 8;

export function estimatePlanBytes(plan: LogicalPlan, known?: KnownScanBytes): number {
  const estimate = (p: LogicalPlan) => estimatePlanBytes(p, known);
  switch (plan.op) {
    case 'scan': {
      const bytes = known?.(plan);
      if (bytes !== undefined) return bytes;
      const total = plan.source.files.reduce((sum, f) => sum + f.size, 0);
      const width = plan.source.partitionColumns.length + plan.schema.fields.length;
      const read = plan.projection ? plan.projection.length : width;
      return width > 0 ? Math.ceil((total * read) / width) : total;
    }
    case 'values':
      return Math.ceil((plan.arrowIpcBase64.length * 3) / 4);
    case 'range':
      return Math.max(0, Math.ceil((plan.end - plan.start) / plan.step)) * BYTES_PER_VALUE;
    case 'join': {
      const left = estimate(plan.left);
      const right = estimate(plan.right);
      return plan.type === 'semi' || plan.type === 'anti' ? left : plan.type === 'cross' ? left * Math.max(1, right) : left + right;
    }
    case 'union':
      return plan.inputs.reduce((sum, input) => sum + estimate(input), 0);
    case 'limit':
      return Math.min(estimate(plan.input), (plan.limit + plan.offset) * plan.schema.fields.length * BYTES_PER_VALUE);
    case 'opaque':
      return Object.values(plan.inputs).reduce((sum, input) => sum + estimate(input), 0);
    default:
      return estimate(plan.input);
  }
}
