/** Fragments that start a stage from data outside the cluster: files, given rows, generated ranges. */
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { renderExpr, quoteIdent } from '../plan/render.js';
import type { LogicalPlan, Schema } from '../plan/types.js';
import { scanSplitBytes, type PlannerContext } from './context.js';
import { placeholder, type Fragment, type Leaf } from './fragment.js';
import { clustered } from './clustering.js';
import { selectivity } from '../plan/selectivity.js';

type ScanNode = Extract<LogicalPlan, { op: 'scan' }>;
type ValuesNode = Extract<LogicalPlan, { op: 'values' }>;
type RangeNode = Extract<LogicalPlan, { op: 'range' }>;

/** One task per split; projection and filters go into the file input. */
export async function planScan(plan: ScanNode, ctx: PlannerContext): Promise<Fragment> {
  const totalBytes = plan.source.files.reduce((sum, f) => sum + f.size, 0);
  const splits = await ctx.splitFiles({ ...plan.source, schema: plan.schema }, plan.filters, scanSplitBytes(ctx, totalBytes));
  if (!Array.isArray(splits)) throw new Error('splitFiles must return a list of splits');
  // An all-pruned scan still runs one task, over no files, so consumers see an empty relation.
  const taskSplits = splits.length > 0 ? splits : [[]];
  const filterSql = plan.filters.length > 0
    ? plan.filters.map((f) => renderExpr(f, { column: (name) => quoteIdent(name) })).join(' AND ')
    : undefined;
  const node = placeholder(plan.schema);
  const input = (name: string, files: (typeof taskSplits)[number]) => ({
    kind: 'files' as const,
    name,
    format: plan.source.format,
    files,
    schema: plan.schema,
    ...(plan.source.csv ? { csv: plan.source.csv } : {}),
    ...(plan.projection ? { columns: plan.projection } : {}),
    ...(filterSql ? { filterSql } : {}),
  });
  const leaf: Leaf = {
    placeholder: node,
    inputFor: (task, name) => input(name, taskSplits[task]!),
    emptyInput: (name) => input(name, []),
    // A CSV file is parsed again by every task that reads it whole: those stay exchanged as Parquet.
    ...(plan.source.format === 'parquet' ? { wholeInput: (name: string) => input(name, taskSplits.flat()) } : {}),
    filtered: filterSql !== undefined,
    keptShare: selectivity(plan),
  };
  const fileCount = taskSplits.reduce((n, s) => n + s.length, 0);
  const outputColumns = plan.projection ?? plan.schema.fields.map((f) => f.name);
  const by = taskSplits.length > 1 && ctx.clusteredColumns ? await ctx.clusteredColumns({ ...plan.source, schema: plan.schema }, taskSplits) : [];
  const pushed = [plan.projection ? `columns ${plan.projection.join(', ')}` : '', filterSql ? `filter ${filterSql}` : ''].filter(Boolean).join('; ');
  return {
    plan: node,
    leaves: [leaf],
    tasks: taskSplits.length,
    distribution: taskSplits.length === 1 ? { kind: 'single' } : clustered(by.filter((c) => outputColumns.includes(c.column))),
    operators: [`Scan ${plan.source.format} (${fileCount} file splits in ${taskSplits.length} tasks${pushed ? `; ${pushed}` : ''})`],
  };
}

export function planValues(plan: ValuesNode): Fragment {
  const node = placeholder(plan.schema);
  return {
    plan: node,
    leaves: [{ placeholder: node, inputFor: (_task, name) => ({ kind: 'values', name, arrowIpcBase64: plan.arrowIpcBase64, schema: plan.schema }) }],
    tasks: 1,
    distribution: { kind: 'single' },
    operators: [`Values (${plan.rowCount} rows)`],
  };
}

const BOUNDS_SCHEMA: Schema = { fields: [{ name: 'lo', type: 'BIGINT', nullable: false }, { name: 'hi', type: 'BIGINT', nullable: false }] };

function boundsInput(name: string, lo: number, hi: number) {
  const table = tableFromArrays({ lo: BigInt64Array.of(BigInt(lo)), hi: BigInt64Array.of(BigInt(hi)) });
  return { kind: 'values' as const, name, arrowIpcBase64: Buffer.from(tableToIPC(table, 'stream')).toString('base64'), schema: BOUNDS_SCHEMA };
}

/**
 * Each task generates its share of the range from a one-row input holding its bounds, since every
 * task of a stage runs the same SQL.
 */
export function planRange(plan: RangeNode, ctx: PlannerContext): Fragment {
  const field = plan.schema.fields[0];
  if (!field || plan.schema.fields.length !== 1) throw new Error('a range node must have exactly one output column');
  if (plan.step === 0 || !Number.isSafeInteger(plan.step)) throw new Error(`range step must be a non-zero integer, got ${plan.step}`);
  const count = Math.max(0, Math.ceil((plan.end - plan.start) / plan.step));
  const tasks = Math.max(1, Math.min(plan.numPartitions ?? ctx.workers, Math.max(count, 1)));
  const per = Math.ceil(count / tasks);
  const bounds = (task: number): [number, number] => {
    const from = Math.min(count, task * per);
    const to = Math.min(count, (task + 1) * per);
    return [plan.start + from * plan.step, plan.start + to * plan.step];
  };
  const node = placeholder(BOUNDS_SCHEMA);
  const leaf: Leaf = {
    placeholder: node,
    inputFor: (task, name) => boundsInput(name, ...bounds(task)),
    emptyInput: (name) => boundsInput(name, plan.start, plan.start),
  };
  const generate: LogicalPlan = {
    op: 'opaque',
    sql: `SELECT CAST(r.range AS ${field.type}) AS ${quoteIdent(field.name)} FROM "bounds" AS b, range(b.lo, b.hi, ${plan.step}) AS r`,
    inputs: { bounds: node },
    reason: 'range generation',
    schema: plan.schema,
  };
  return { plan: generate, leaves: [leaf], tasks, distribution: tasks === 1 ? { kind: 'single' } : { kind: 'any' }, operators: [`Range(${plan.start}, ${plan.end}, ${plan.step})`] };
}
