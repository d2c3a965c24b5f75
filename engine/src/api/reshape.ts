/** Plans for DataFrame methods that rebuild the column list: withColumn, withColumnRenamed, drop, dropDuplicates. */
import { aggregatePlan } from '../plan/build.js';
import { AnalysisError } from '../plan/errors.js';
import { describeAvailable, tryResolveColumn } from '../plan/schema.js';
import type { Expr, Field, LogicalPlan } from '../plan/types.js';
import { selectPlan } from './select-builder.js';

const ref = (f: Field): Expr => (f.qualifier ? { kind: 'column', name: f.name, qualifier: f.qualifier } : { kind: 'column', name: f.name });

function indexOf(input: LogicalPlan, name: string): number {
  const index = tryResolveColumn(input.schema, { name });
  if (typeof index !== 'number') throw index.toError();
  return index;
}

/** `added` (already aliased to `name`) replaces the column of that name in place, or is appended. */
export function withColumnPlan(input: LogicalPlan, name: string, added: Expr): LogicalPlan {
  const existing = input.schema.fields.findIndex((f) => f.name.toLowerCase() === name.toLowerCase());
  const exprs = input.schema.fields.map(ref);
  if (existing >= 0) exprs[existing] = added;
  else exprs.push(added);
  return selectPlan(input, exprs);
}

export function renamePlan(input: LogicalPlan, existing: string, renamed: string): LogicalPlan {
  const index = indexOf(input, existing);
  return selectPlan(input, input.schema.fields.map((f, i) => (i === index ? { kind: 'alias', expr: ref(f), name: renamed } : ref(f))));
}

export function dropPlan(input: LogicalPlan, names: string[]): LogicalPlan {
  const dropped = new Set(names.map((n) => indexOf(input, n)));
  const kept = input.schema.fields.flatMap((f, i) => (dropped.has(i) ? [] : [ref(f)]));
  if (kept.length === 0) throw new AnalysisError(`drop() would remove every column (${describeAvailable(input.schema)})`);
  return selectPlan(input, kept);
}

/** One (arbitrary) row per distinct combination of `subset`, columns in the input's order. */
export function dropDuplicatesPlan(input: LogicalPlan, subset: string[]): LogicalPlan {
  const keyIndexes = new Set(subset.map((n) => indexOf(input, n)));
  const keys = [...keyIndexes].map((i) => ref(input.schema.fields[i]!));
  const rest = input.schema.fields.flatMap((f, i): Expr[] =>
    keyIndexes.has(i) ? [] : [{ kind: 'alias', expr: { kind: 'agg', fn: 'first', args: [ref(f)], distinct: false }, name: f.name }],
  );
  const grouped = aggregatePlan(input, keys, rest);
  return selectPlan(grouped, input.schema.fields.map((f): Expr => ({ kind: 'column', name: f.name })));
}
