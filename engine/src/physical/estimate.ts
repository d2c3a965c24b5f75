/**
 * A deliberately simple size estimate used for the broadcast decision when the Session gives none:
 * scans count the compressed bytes of the columns they read when the caller knows them (Parquet
 * footers), else their files' bytes scaled by the share of columns read; operators never grow their
 * input except joins and unions. Filters keep the share of rows guessed from their predicates
 * (plan/selectivity.ts), but never less than MIN_FILTERED_SHARE: a guess too low would broadcast a
 * side many times the threshold.
 */
import { predicateSelectivity } from '../plan/selectivity.js';
import type { Expr, LogicalPlan } from '../plan/types.js';

export type ScanNode = Extract<LogicalPlan, { op: 'scan' }>;
/** Bytes a scan reads when something better than the file-size share is known (Parquet column sizes). */
export type KnownScanBytes = (scan: ScanNode) => number | undefined;

/** Bytes per row assumed for generated rows (range) and Arrow-encoded values. */
const BYTES_PER_VALUE = 8;
/** The smallest share of its input a filtered relation is assumed to keep. */
const MIN_FILTERED_SHARE = 0.1;

export type FilterEstimate = 'guessed' | 'ignored';

function guessedShare(predicates: Expr[]): number {
  return Math.max(MIN_FILTERED_SHARE, predicates.reduce((kept, p) => kept * predicateSelectivity(p), 1));
}

/**
 * `filters: 'ignored'` gives an upper bound instead (rows are only ever kept or dropped), for
 * decisions where guessing low costs more than guessing high.
 */
export function estimatePlanBytes(plan: LogicalPlan, known?: KnownScanBytes, filters: FilterEstimate = 'guessed'): number {
  const estimate = (p: LogicalPlan) => estimatePlanBytes(p, known, filters);
  const keptShare = (predicates: Expr[]) => (filters === 'guessed' ? guessedShare(predicates) : 1);
  switch (plan.op) {
    case 'scan': {
      const total = plan.source.files.reduce((sum, f) => sum + f.size, 0);
      const width = plan.source.partitionColumns.length + plan.schema.fields.length;
      const read = plan.projection ? plan.projection.length : width;
      const bytes = known?.(plan) ?? (width > 0 ? (total * read) / width : total);
      return Math.ceil(bytes * keptShare(plan.filters));
    }
    case 'filter':
      return Math.ceil(estimate(plan.input) * keptShare([plan.predicate]));
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
