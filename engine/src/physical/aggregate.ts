/**
 * Aggregation across tasks. Decomposable aggregates (sum, count, avg, min, max without DISTINCT)
 * run as a partial aggregate in the producing stage, a hash exchange on the grouping keys and a
 * final aggregate combining the partials. Anything else shuffles the raw rows on the grouping keys
 * and aggregates once. No exchange at all when the input is already partitioned on grouping keys.
 */
import type { Expr, Field, LogicalPlan } from '../plan/types.js';
import type { PlannerContext } from './context.js';
import { mapExpr, someExpr } from './expr-map.js';
import { extend, type Fragment, type StageGraph } from './fragment.js';
import { columnOf, isSubsetOf } from './keys.js';
import { clusteredOn, renamedClustering } from './clustering.js';

type AggregateNode = Extract<LogicalPlan, { op: 'aggregate' }>;
type AggExpr = Extract<Expr, { kind: 'agg' }>;

const col = (name: string): Expr => ({ kind: 'column', name });
const alias = (expr: Expr, name: string): Expr => ({ kind: 'alias', expr, name });
const unalias = (e: Expr): Expr => (e.kind === 'alias' ? e.expr : e);

export function planAggregate(plan: AggregateNode, input: Fragment, graph: StageGraph, ctx: PlannerContext): Fragment {
  const keyNames = plan.groupBy.map((_, i) => outputName(plan, i));
  const keyColumns = plan.groupBy.map((g) => columnOf(g, input.plan.schema));
  const groupedColumns = keyColumns.filter((c): c is string => c !== undefined);
  const direct = keyColumns.every((c) => c !== undefined);
  const outputDistribution = direct && keyNames.length > 0
    ? { kind: 'hash' as const, keys: keyNames, partitions: input.tasks }
    : input.distribution;

  const alreadyGrouped =
    input.distribution.kind === 'single' || (input.distribution.kind === 'hash' && isSubsetOf(input.distribution.keys, groupedColumns));
  if (alreadyGrouped) {
    return extend(input, { ...plan, input: input.plan }, 'HashAggregate(complete, input already partitioned)',
      input.distribution.kind === 'single' ? input.distribution : outputDistribution);
  }
  if (input.distribution.kind === 'clustered' && clusteredOn(input.distribution, groupedColumns)) {
    // Grouping keys that are clustered input columns stay clustered under their output names.
    const grouped = renamedClustering(input.distribution, (column) => {
      const at = keyColumns.indexOf(column);
      return at >= 0 ? keyNames[at] : undefined;
    });
    return extend(input, { ...plan, input: input.plan }, 'HashAggregate(complete, input clustered by its files)', grouped);
  }

  const split = decompose(plan, input.plan);
  if (!split) return planRawShuffle(plan, input, graph, ctx, keyNames);

  const partialPlan: LogicalPlan = {
    op: 'aggregate',
    input: input.plan,
    groupBy: plan.groupBy.map((g, i) => alias(unalias(g), keyNames[i]!)),
    aggs: split.partials.map((p) => alias(p.expr, p.name)),
    schema: { fields: [...plan.schema.fields.slice(0, plan.groupBy.length).map(unqualified), ...split.partials.map((p) => p.field)] },
  };
  const partial = extend(input, partialPlan, 'HashAggregate(partial)');
  const finalOf = (from: Fragment, how: string): Fragment =>
    extend(from, {
      op: 'aggregate',
      input: from.plan,
      groupBy: keyNames.map(col),
      aggs: split.finals.map((f, i) => alias(f, outputName(plan, plan.groupBy.length + i))),
      schema: plan.schema,
    }, how, keyNames.length > 0 ? { kind: 'hash', keys: keyNames, partitions: from.tasks } : { kind: 'single' });

  if (keyNames.length === 0) return finalOf(graph.gather(partial), 'HashAggregate(final)');
  const stage = graph.finish(partial, { kind: 'hash', keys: keyNames, partitions: ctx.shufflePartitions });
  return finalOf(graph.read(stage), 'HashAggregate(final)');
}

/** Non-decomposable aggregates: move raw rows so each group is in one task, then aggregate once. */
function planRawShuffle(plan: AggregateNode, input: Fragment, graph: StageGraph, ctx: PlannerContext, keyNames: string[]): Fragment {
  const described = plan.aggs.map((a) => describeAgg(unalias(a))).join(', ');
  if (plan.groupBy.length === 0) {
    const gathered = graph.gather(input);
    const reason = input.tasks > 1 ? `global aggregate ${described} cannot be combined from partial results` : gathered.singleWorkerReason;
    return { ...extend(gathered, { ...plan, input: gathered.plan }, 'HashAggregate(complete)'), ...(reason ? { singleWorkerReason: reason } : {}) };
  }
  // Hash exchanges partition on columns, so computed grouping keys become columns first.
  const keyColumns = plan.groupBy.map((g, i) => columnOf(g, input.plan.schema) ?? `__group_${i}`);
  const computed = plan.groupBy.flatMap((g, i) => (columnOf(g, input.plan.schema) ? [] : [alias(unalias(g), keyColumns[i]!)]));
  let source = input;
  if (computed.length > 0) {
    const fields: Field[] = [
      ...input.plan.schema.fields,
      ...computed.map((c, i) => ({ ...plan.schema.fields[i]!, name: (c as { name: string }).name, qualifier: undefined })),
    ];
    source = extend(input, { op: 'project', input: input.plan, exprs: [{ kind: 'star' }, ...computed], schema: { fields } }, 'Project(grouping keys)');
  }
  const stage = graph.finish(source, { kind: 'hash', keys: keyColumns, partitions: ctx.shufflePartitions });
  const shuffled = graph.read(stage);
  const groupBy = plan.groupBy.map((g, i) => (columnOf(g, input.plan.schema) ? g : alias(col(keyColumns[i]!), keyNames[i]!)));
  return extend(shuffled, { ...plan, input: shuffled.plan, groupBy }, `HashAggregate(complete: ${described})`,
    { kind: 'hash', keys: keyNames, partitions: shuffled.tasks });
}

function outputName(plan: AggregateNode, index: number): string {
  const field = plan.schema.fields[index];
  if (!field) throw new Error(`aggregate schema has ${plan.schema.fields.length} fields but ${plan.groupBy.length + plan.aggs.length} grouping keys and aggregates`);
  return field.name;
}

const unqualified = (f: Field): Field => ({ ...f, qualifier: undefined });

interface Partial {
  name: string;
  expr: Expr;
  field: Field;
}

const DECOMPOSABLE = new Set(['sum', 'count', 'avg', 'mean', 'min', 'max']);

/**
 * Partial aggregates (computed per task) and final expressions (over the partials' columns), or
 * undefined when some aggregate cannot be combined from partials.
 */
function decompose(plan: AggregateNode, input: LogicalPlan): { partials: Partial[]; finals: Expr[] } | undefined {
  const partials: Partial[] = [];
  // sum(x) and avg(x) of one query share the partial sum(x); count(x) likewise.
  const seen = new Map<string, string>();
  const add = (expr: Expr, type: string): Expr => {
    const key = JSON.stringify([expr, type]);
    const existing = seen.get(key);
    if (existing) return col(existing);
    const name = `__partial_${partials.length}`;
    partials.push({ name, expr, field: { name, type, nullable: true } });
    seen.set(key, name);
    return col(name);
  };
  const finals: Expr[] = [];
  for (const [i, top] of plan.aggs.entries()) {
    const aggOutput = plan.schema.fields[plan.groupBy.length + i];
    const isTop = unalias(top).kind === 'agg';
    let ok = true;
    const final = mapExpr(unalias(top), (e) => {
      // SQL text or a window outside any aggregate may itself aggregate: not safe to split.
      if (e.kind === 'window' || e.kind === 'sql') ok = false;
      if (e.kind !== 'agg') return e;
      const fn = e.fn.toLowerCase();
      if (e.distinct || !DECOMPOSABLE.has(fn) || e.args.some((a) => someExpr(a, (x) => x.kind === 'agg' || x.kind === 'window'))) {
        ok = false;
        return e;
      }
      const partial = (f: string, args: Expr[]): Expr => ({ kind: 'agg', fn: f, args, distinct: false, ...(e.filter ? { filter: e.filter } : {}) });
      const combine = (f: string, p: Expr): Expr => ({ kind: 'agg', fn: f, args: [p], distinct: false });
      switch (fn) {
        case 'count':
          return cast(call('coalesce', combine('sum', add(partial('count', e.args), 'BIGINT')), { kind: 'literal', value: 0, type: 'BIGINT' }), 'BIGINT');
        case 'avg':
        case 'mean': {
          const [arg] = e.args;
          if (!arg || e.args.length !== 1) { ok = false; return e; }
          // A DECIMAL column sums exactly in its own type, as DuckDB's avg does, without a cast per row.
          const decimalSum = partialType('sum', e, input);
          const exact = decimalSum?.startsWith('DECIMAL') ? decimalSum : undefined;
          const sum = exact ? add(partial('sum', [arg]), exact) : add(partial('sum', [cast(arg, 'DOUBLE')]), 'DOUBLE');
          const count = add(partial('count', [arg]), 'BIGINT');
          const total = combine('sum', sum);
          return call('/', exact ? cast(total, 'DOUBLE') : total, combine('sum', count));
        }
        default: {
          const type = isTop && aggOutput ? aggOutput.type : partialType(fn, e, input);
          if (!type) { ok = false; return e; }
          // Parquet has no 128-bit integer (DuckDB would write DOUBLE): exchange exact DECIMAL(38,0).
          if (/^U?HUGEINT$/i.test(type)) {
            return cast(combine(fn, add(cast(partial(fn, e.args), 'DECIMAL(38,0)'), 'DECIMAL(38,0)')), type);
          }
          return combine(fn, add(partial(fn, e.args), type));
        }
      }
    });
    if (!ok) return undefined;
    finals.push(final);
  }
  return { partials, finals };
}

/** DuckDB's result type of sum/min/max over a plain column, when it can be known without running it. */
function partialType(fn: string, e: AggExpr, input: LogicalPlan): string | undefined {
  const [arg] = e.args;
  if (!arg || e.args.length !== 1 || arg.kind !== 'column') return undefined;
  const field = input.schema.fields.find((f) => f.name === arg.name && (!arg.qualifier || f.qualifier === arg.qualifier));
  if (!field) return undefined;
  if (fn !== 'sum') return field.type;
  const type = field.type.toUpperCase();
  if (/^(TINYINT|SMALLINT|INTEGER|INT|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT)$/.test(type)) return 'HUGEINT';
  if (type === 'FLOAT' || type === 'DOUBLE') return 'DOUBLE';
  const decimal = /^DECIMAL\(\s*\d+\s*,\s*(\d+)\s*\)$/.exec(type);
  return decimal ? `DECIMAL(38,${decimal[1]})` : undefined;
}

const call = (fn: string, ...args: Expr[]): Expr => ({ kind: 'call', fn, args });
const cast = (expr: Expr, to: string): Expr => ({ kind: 'cast', expr, to });

function describeAgg(e: Expr): string {
  return e.kind === 'agg' ? `${e.fn}(${e.distinct ? 'DISTINCT ' : ''}...)` : 'expression';
}
