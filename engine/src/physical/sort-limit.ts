/**
 * Global order and limits. A sort range-partitions its input (the runtime samples the keys to pick
 * bounds) and sorts each partition, so reading the result partitions in order gives the total order.
 * A limit over a sort keeps the first N per task, gathers them and takes the final N; a plain limit
 * does the same without sorting.
 */
import { quoteIdent, renderExpr } from '../plan/render.js';
import type { LogicalPlan, SortKey } from '../plan/types.js';
import type { PlannerContext } from './context.js';
import { extend, type Fragment, type StageGraph } from './fragment.js';

type SortNode = Extract<LogicalPlan, { op: 'sort' }>;
type LimitNode = Extract<LogicalPlan, { op: 'limit' }>;
type ProjectNode = Extract<LogicalPlan, { op: 'project' }>;

/** Range keys are evaluated over the stage's output relation, where columns are unqualified. */
export function rangeKeySql(key: SortKey): { sql: string; ascending: boolean; nullsFirst: boolean } {
  return { sql: renderExpr(key.expr, { column: (name) => quoteIdent(name) }), ascending: key.ascending, nullsFirst: key.nullsFirst };
}

export function planSort(plan: SortNode, input: Fragment, graph: StageGraph, ctx: PlannerContext): Fragment {
  if (input.tasks === 1) return extend(input, { ...plan, input: input.plan }, 'Sort');
  const stage = graph.finish(input, { kind: 'range', keys: plan.keys.map(rangeKeySql), partitions: ctx.shufflePartitions }, undefined, plan.keys);
  const ranged = graph.read(stage);
  return extend(ranged, { ...plan, input: ranged.plan }, 'Sort(per range partition)', { kind: 'any' });
}

/**
 * Splits `limit(project*(sort(x)))` into the sort and the projections above it, so the limit can run
 * as a top-N below the projections.
 */
export function topNShape(plan: LimitNode): { sort: SortNode; projects: ProjectNode[] } | undefined {
  const projects: ProjectNode[] = [];
  let node = plan.input;
  while (node.op === 'project') {
    projects.push(node);
    node = node.input;
  }
  return node.op === 'sort' ? { sort: node, projects } : undefined;
}

/** Top-N: `sortInput` is the planned input of the sort. */
export function planTopN(plan: LimitNode, shape: { sort: SortNode; projects: ProjectNode[] }, sortInput: Fragment, graph: StageGraph): Fragment {
  const sorted = (f: Fragment, limit: number, offset: number): LogicalPlan => ({
    op: 'limit', limit, offset, schema: shape.sort.schema,
    input: { ...shape.sort, input: f.plan },
  });
  let result: Fragment;
  if (sortInput.tasks === 1) {
    result = extend(sortInput, sorted(sortInput, plan.limit, plan.offset), `TopN(${plan.limit}${plan.offset ? ` offset ${plan.offset}` : ''})`);
  } else {
    const partial = extend(sortInput, sorted(sortInput, plan.limit + plan.offset, 0), `TopN(partial ${plan.limit + plan.offset})`);
    const gathered = graph.gather(partial);
    result = extend(gathered, sorted(gathered, plan.limit, plan.offset), `TopN(final ${plan.limit}${plan.offset ? ` offset ${plan.offset}` : ''})`);
  }
  // Projections were above the sort; they keep the rows' order and apply to N rows only.
  for (const project of [...shape.projects].reverse()) result = extend(result, { ...project, input: result.plan }, 'Project');
  return result;
}

export function planLimit(plan: LimitNode, input: Fragment, graph: StageGraph): Fragment {
  const label = `${plan.limit}${plan.offset ? ` offset ${plan.offset}` : ''}`;
  if (input.tasks === 1) return extend(input, { ...plan, input: input.plan }, `Limit(${label})`);
  const partial = extend(input, { ...plan, input: input.plan, limit: plan.limit + plan.offset, offset: 0 }, `Limit(partial ${plan.limit + plan.offset})`);
  const gathered = graph.gather(partial);
  return extend(gathered, { ...plan, input: gathered.plan }, `Limit(final ${label})`);
}
