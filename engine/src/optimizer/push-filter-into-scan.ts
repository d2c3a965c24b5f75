/**
 * Hands a filter directly over a file scan to the scan, whose `filters` prune Parquet row groups
 * and hive partitions before reading and are applied to the rows read.
 */
import { columnRefs, isNondeterministic, splitConjunction, transformExpr, transformPlan } from '../plan/expr-walk.js';
import { tryResolveColumn } from '../plan/schema.js';
import type { Expr, LogicalPlan } from '../plan/types.js';
import type { Rule } from './rule.js';

type Scan = Extract<LogicalPlan, { op: 'scan' }>;

/** Scan filters name file columns without qualifiers (the scan renders them that way). */
function unqualified(conjunct: Expr, scan: Scan): Expr | undefined {
  if (isNondeterministic(conjunct)) return undefined;
  if (columnRefs(conjunct).some((r) => typeof tryResolveColumn(scan.schema, r) !== 'number')) return undefined;
  return transformExpr(conjunct, (e) => {
    if (e.kind !== 'column') return e;
    const field = scan.schema.fields[tryResolveColumn(scan.schema, e) as number]!;
    return { kind: 'column', name: field.name };
  });
}

export const pushFilterIntoScan: Rule = {
  name: 'PushFilterIntoScan',
  apply: (plan) =>
    transformPlan(plan, (node) => {
      if (node.op !== 'filter' || node.input.op !== 'scan') return node;
      const scan = node.input;
      const conjuncts = splitConjunction(node.predicate).map((c) => unqualified(c, scan));
      if (conjuncts.some((c) => c === undefined)) return node;
      return { ...scan, filters: [...scan.filters, ...(conjuncts as Expr[])] };
    }),
};
