/**
 * Logical plan -> physical plan: stages split at exchanges, one DuckDB query per stage run once per
 * partition. The optimizer has already rewritten the plan logically; this decides how it runs
 * across workers (partial aggregation, broadcast or shuffled joins, range-partitioned sorts, ...).
 */
import { isReductionJoin, unaliasedReduction } from '../plan/reduction-join.js';
import type { LogicalPlan } from '../plan/types.js';
import { planAggregate } from './aggregate.js';
import { estimateBytes, validateContext, type PlannerContext } from './context.js';
import { explainPhysical } from './explain.js';
import { extend, StageGraph, type Distribution, type Fragment } from './fragment.js';
import { columnOf, equiKeys } from './keys.js';
import { alignedKey, renamedClustering } from './clustering.js';
import { planJoin } from './join.js';
import { planRange, planScan, planValues } from './leaves.js';
import { planDistinct, planRepartition, planUnion, planWindow } from './set-ops.js';
import { planLimit, planSort, planTopN, topNShape } from './sort-limit.js';
import type { Exchange, PhysicalPlan } from './types.js';

export { explainPhysical };

/** Where the result goes: back to the driver, or into files. */
export type WriteTarget = Omit<Extract<Exchange, { kind: 'write' }>, 'kind'>;

export async function planPhysical(plan: LogicalPlan, ctx: PlannerContext, write?: WriteTarget): Promise<PhysicalPlan> {
  validateContext(ctx);
  const graph = new StageGraph();
  const root = await new FragmentPlanner(graph, ctx).plan(plan);
  if (write) validateWrite(write, plan);
  const output: Exchange = write ? { kind: 'write', ...write } : { kind: 'result' };
  const stage = graph.finish(root, output);
  return { stages: graph.stages, resultStageId: stage.id, schema: plan.schema };
}

/** planPhysical with a write as the last stage's output. */
export function planWrite(plan: LogicalPlan, ctx: PlannerContext, write: WriteTarget): Promise<PhysicalPlan> {
  return planPhysical(plan, ctx, write);
}

function validateWrite(write: WriteTarget, plan: LogicalPlan): void {
  if (!write.path) throw new Error('write needs a target path');
  if (!['parquet', 'csv', 'json'].includes(write.format)) throw new Error(`cannot write format ${JSON.stringify(write.format)}`);
  if (!['error', 'overwrite', 'append'].includes(write.mode)) throw new Error(`unknown write mode ${JSON.stringify(write.mode)}`);
  const names = new Set(plan.schema.fields.map((f) => f.name));
  for (const column of write.partitionBy) {
    if (!names.has(column)) throw new Error(`partitionBy column '${column}' is not in the written data (${[...names].join(', ')})`);
  }
  if (write.partitionBy.length > 0 && write.partitionBy.length === names.size) {
    throw new Error('partitionBy cannot use every column: the files would have no columns left');
  }
}

class FragmentPlanner {
  constructor(private readonly graph: StageGraph, private readonly ctx: PlannerContext) {}

  async plan(plan: LogicalPlan): Promise<Fragment> {
    const { graph, ctx } = this;
    switch (plan.op) {
      case 'scan':
        return planScan(plan, ctx);
      case 'values':
        return planValues(plan);
      case 'range':
        return planRange(plan, ctx);
      case 'project': {
        const input = await this.plan(plan.input);
        return extend(input, { ...plan, input: input.plan }, 'Project', projectedDistribution(plan, input.distribution));
      }
      case 'filter': {
        const input = await this.plan(plan.input);
        return extend(input, { ...plan, input: input.plan }, 'Filter');
      }
      case 'alias': {
        const input = await this.plan(plan.input);
        return extend(input, { ...plan, input: input.plan }, `Alias(${plan.alias})`);
      }
      case 'aggregate':
        return planAggregate(plan, await this.plan(plan.input), graph, ctx);
      case 'join': {
        const reduction = isReductionJoin(plan);
        if (reduction && !reductionPays(plan, ctx)) return this.plan(plan.left);
        if (reduction) plan = unaliasedReduction(plan) ?? plan;
        const left = await this.plan(plan.left);
        const mark = graph.mark();
        const right = await this.plan(plan.right);
        // Keys held task by task where the rows they reduce are: the join those rows go to meets only
        // the same task's rows anyway, and the keys would be computed again in every task.
        if (reduction && alignedKey(left.distribution, right.distribution, equiKeys(plan.condition, plan.left.schema, plan.right.schema))) {
          graph.rollback(mark);
          return left;
        }
        return planJoin(plan, left, right, graph, ctx);
      }
      case 'sort':
        return planSort(plan, await this.plan(plan.input), graph, ctx);
      case 'limit': {
        if (!Number.isInteger(plan.limit) || plan.limit < 0 || !Number.isInteger(plan.offset) || plan.offset < 0) {
          throw new Error(`limit needs non-negative integers, got limit ${plan.limit} offset ${plan.offset}`);
        }
        const shape = topNShape(plan);
        if (shape) return planTopN(plan, shape, await this.plan(shape.sort.input), graph);
        return planLimit(plan, await this.plan(plan.input), graph);
      }
      case 'distinct':
        return planDistinct(plan, await this.plan(plan.input), graph, ctx);
      case 'union': {
        const inputs: Fragment[] = [];
        for (const input of plan.inputs) inputs.push(await this.plan(input));
        return planUnion(plan, inputs, graph, ctx);
      }
      case 'repartition':
        return planRepartition(plan, await this.plan(plan.input), graph);
      case 'window':
        return planWindow(plan, await this.plan(plan.input), graph, ctx);
      case 'opaque':
        return this.opaque(plan);
      default: {
        const unknown: never = plan;
        throw new Error(`planPhysical: unknown plan node ${JSON.stringify((unknown as { op: unknown }).op)}`);
      }
    }
  }

  /** Each input is computed in parallel, gathered, and the query runs as written in one task. */
  private async opaque(plan: Extract<LogicalPlan, { op: 'opaque' }>): Promise<Fragment> {
    const entries = Object.entries(plan.inputs);
    const inputs: Record<string, LogicalPlan> = {};
    const gathered: Fragment[] = [];
    for (const [name, input] of entries) {
      const fragment = this.graph.gather(await this.plan(input));
      inputs[name] = fragment.plan;
      gathered.push(fragment);
    }
    return {
      plan: { ...plan, inputs },
      leaves: gathered.flatMap((f) => f.leaves),
      tasks: 1,
      distribution: { kind: 'single' },
      operators: [...gathered.flatMap((f, i) => f.operators.map((o) => `[${entries[i]![0]}] ${o}`)), 'Opaque SQL'],
      singleWorkerReason: plan.reason,
    };
  }
}

/** A projection keeps a hash layout only when every key column passes through (possibly renamed). */
function projectedDistribution(plan: Extract<LogicalPlan, { op: 'project' }>, d: Distribution): Distribution {
  const rename = (key: string) => {
    const at = plan.exprs.findIndex((e) => columnOf(e, plan.input.schema) === key);
    return at >= 0 ? plan.schema.fields[at]?.name : undefined;
  };
  if (d.kind === 'clustered') return renamedClustering(d, rename);
  if (d.kind !== 'hash') return d;
  const renamed = d.keys.map(rename);
  return renamed.every((k): k is string => k !== undefined) ? { ...d, keys: renamed } : { kind: 'any' };
}

/** Below this estimate, a relation is too small for reducing its rows to pay for the extra stage. */
const REDUCTION_MIN_BYTES = 4 * 1024 * 1024;

/**
 * A reduction semi join pays when its keys can be broadcast (a shuffle of the rows to reduce costs
 * more than it saves) and the rows it reduces are many once their own filters have been applied
 * (estimates count filters by their guessed share).
 */
function reductionPays(plan: Extract<LogicalPlan, { op: 'join' }>, ctx: PlannerContext): boolean {
  return estimateBytes(ctx, plan.right) < ctx.broadcastThresholdBytes && estimateBytes(ctx, plan.left) >= REDUCTION_MIN_BYTES;
}
