/** Operators that only need rows with equal keys together: distinct, window, repartition; and union. */
import type { Expr, LogicalPlan } from '../plan/types.js';
import type { PlannerContext } from './context.js';
import { extend, type Fragment, type Leaf, type StageGraph } from './fragment.js';
import { columnOf, isSubsetOf } from './keys.js';
import { clusteredOn } from './clustering.js';

type Node<K extends LogicalPlan['op']> = Extract<LogicalPlan, { op: K }>;

/** Distinct within each task first (less to move), then hash on every column and distinct again. */
export function planDistinct(plan: Node<'distinct'>, input: Fragment, graph: StageGraph, ctx: PlannerContext): Fragment {
  const columns = plan.schema.fields.map((f) => f.name);
  const d = input.distribution;
  if (d.kind === 'single' || (d.kind === 'hash' && isSubsetOf(d.keys, columns)) || clusteredOn(d, columns)) {
    return extend(input, { ...plan, input: input.plan }, 'Distinct(input already partitioned)');
  }
  const partial = extend(input, { ...plan, input: input.plan }, 'Distinct(partial)');
  const qualifiers = plan.schema.fields.map((f) => f.qualifier);
  const shuffled = graph.read(graph.finish(partial, { kind: 'hash', keys: columns, partitions: ctx.shufflePartitions }, qualifiers));
  return extend(shuffled, { ...plan, input: shuffled.plan }, 'Distinct(final)');
}

/** Window functions need each PARTITION BY group in one task: hash on the keys every window shares. */
export function planWindow(plan: Node<'window'>, input: Fragment, graph: StageGraph, ctx: PlannerContext): Fragment {
  const specs = plan.windows.map((w) => {
    const inner = w.kind === 'alias' ? w.expr : w;
    if (inner.kind !== 'window') throw new Error(`a window node's expressions must be window functions, got '${inner.kind}'`);
    return inner.spec;
  });
  const keySets = specs.map((s) => s.partitionBy.map((e: Expr) => columnOf(e, input.plan.schema)).filter((c): c is string => c !== undefined));
  const shared = keySets.length > 0 ? keySets.reduce((acc, keys) => acc.filter((k) => keys.includes(k))) : [];
  const d = input.distribution;
  if (d.kind === 'single' || (d.kind === 'hash' && isSubsetOf(d.keys, shared)) || clusteredOn(d, shared)) {
    return extend(input, { ...plan, input: input.plan }, 'Window(input already partitioned)');
  }
  if (shared.length === 0) {
    const gathered = graph.gather(input);
    return {
      ...extend(gathered, { ...plan, input: gathered.plan }, 'Window(single task)'),
      singleWorkerReason: 'window functions without a PARTITION BY column shared by all of them need every row in one task',
    };
  }
  const shuffled = graph.read(graph.finish(input, { kind: 'hash', keys: shared, partitions: ctx.shufflePartitions }));
  return extend(shuffled, { ...plan, input: shuffled.plan }, `Window(partitioned by ${shared.join(', ')})`);
}

/** Stage-local row number that deals rows evenly when hashed: repartition(n) without keys. */
const ROW_NUMBER = '__row_number';

export function planRepartition(plan: Node<'repartition'>, input: Fragment, graph: StageGraph): Fragment {
  if (!Number.isInteger(plan.numPartitions) || plan.numPartitions < 1) {
    throw new Error(`repartition needs a positive integer number of partitions, got ${plan.numPartitions}`);
  }
  const keys = plan.keys.map((k) => {
    const name = columnOf(k, input.plan.schema);
    if (name === undefined) throw new Error('repartition keys must be columns of the input; compute expressions with withColumn first');
    return name;
  });
  if (keys.length > 0) {
    const qualifiers = plan.keys.map((k) => (k.kind === 'column' ? k.qualifier : undefined));
    return graph.read(graph.finish(input, { kind: 'hash', keys, partitions: plan.numPartitions }, qualifiers));
  }
  // Round robin through a hash exchange on each row's number: consecutive numbers hash to spread-out
  // partitions, so every partition gets about the same share of every task's rows.
  const numbered: LogicalPlan = {
    op: 'project',
    input: input.plan,
    exprs: [{ kind: 'star' }, { kind: 'alias', name: ROW_NUMBER, expr: { kind: 'window', fn: 'row_number', args: [], spec: { partitionBy: [], orderBy: [] } } }],
    schema: { fields: [...input.plan.schema.fields, { name: ROW_NUMBER, type: 'BIGINT', nullable: false }] },
  };
  const stage = graph.finish(extend(input, numbered, 'Number rows'), { kind: 'hash', keys: [ROW_NUMBER], partitions: plan.numPartitions });
  const dealt = graph.read(stage);
  const columns: Expr[] = input.plan.schema.fields.map((f) => ({ kind: 'column', name: f.name, ...(f.qualifier ? { qualifier: f.qualifier } : {}) }));
  return extend(dealt, { op: 'project', input: dealt.plan, exprs: columns, schema: input.plan.schema }, 'Project(drop row number)', { kind: 'any' });
}

/**
 * A union runs the tasks of all its inputs in one stage: task t belongs to one input and reads that
 * input's relations, while the other inputs' relations are empty for it.
 */
export function planUnion(plan: Node<'union'>, inputs: Fragment[], graph: StageGraph, ctx: PlannerContext): Fragment {
  if (inputs.length === 0) throw new Error('a union needs at least one input');
  const ready = inputs.map((f) => (f.leaves.every((l) => l.emptyInput) ? f : graph.read(graph.finish(f, { kind: 'gather' }))));
  const offsets: number[] = [];
  let tasks = 0;
  for (const f of ready) {
    offsets.push(tasks);
    tasks += f.tasks;
  }
  const leaves: Leaf[] = ready.flatMap((f, k) =>
    f.leaves.map((leaf): Leaf => ({
      placeholder: leaf.placeholder,
      ...(leaf.stageId !== undefined ? { stageId: leaf.stageId } : {}),
      inputFor: (task, name) => {
        const local = task - offsets[k]!;
        return local >= 0 && local < f.tasks ? leaf.inputFor(local, name) : leaf.emptyInput!(name);
      },
      emptyInput: leaf.emptyInput,
    })),
  );
  const reasons = ready.flatMap((f) => (f.singleWorkerReason ? [f.singleWorkerReason] : []));
  const all: Fragment = {
    plan: { ...plan, all: true, inputs: ready.map((f) => f.plan) },
    leaves,
    tasks,
    distribution: tasks === 1 ? { kind: 'single' } : { kind: 'any' },
    operators: [...ready.flatMap((f, k) => f.operators.map((o) => `[union input ${k}] ${o}`)), `Union(${ready.length} inputs${plan.byName ? ', by name' : ''})`],
    ...(reasons.length > 0 ? { singleWorkerReason: reasons.join('; ') } : {}),
  };
  if (plan.all) return all;
  return planDistinct({ op: 'distinct', input: all.plan, schema: plan.schema }, all, graph, ctx);
}
