/**
 * Join strategy. A side may be broadcast (read whole by every task of the other side) only if its
 * rows are never emitted unmatched and the output never comes from it alone:
 *   inner, cross: either side;  left, semi, anti: the right side;  right: the left side;  full: neither.
 * With equality keys the small allowed side (estimate below the threshold) is broadcast (a large one
 * to one streamed task per worker, a semi/anti join's as distinct keys), otherwise
 * both sides are hash-partitioned on the keys (or used as they are when already co-partitioned, or
 * when their files hold the same key ranges task by task: clustering.ts).
 * Without keys an allowed side is broadcast whatever its size; a full join gathers both sides.
 * Non-equality conjuncts of the condition always stay in the join.
 */
import type { Expr, Field, LogicalPlan } from '../plan/types.js';
import { estimateBytes, type PlannerContext } from './context.js';
import { checkedDistribution, extend, type Distribution, type Fragment, type StageGraph } from './fragment.js';
import { equiKeys, type EquiKeys } from './keys.js';
import { regroupTasks, tasksMerged } from './regroup.js';
import { alignedGroups, alignedKey, joinedClustering } from './clustering.js';

type JoinNode = Extract<LogicalPlan, { op: 'join' }>;
type Side = 'left' | 'right';

export function broadcastableSides(type: JoinNode['type']): Side[] {
  switch (type) {
    case 'inner':
    case 'cross':
      return ['left', 'right'];
    case 'left':
    case 'semi':
    case 'anti':
      return ['right'];
    case 'right':
      return ['left'];
    case 'full':
      return [];
  }
}

export function planJoin(plan: JoinNode, left: Fragment, right: Fragment, graph: StageGraph, ctx: PlannerContext): Fragment {
  const keys = plan.type === 'cross' ? { left: [], right: [], leftQualifiers: [], rightQualifiers: [], residual: [] } : equiKeys(plan.condition, plan.left.schema, plan.right.schema);
  const sides = { left, right };
  // Whether a side is small enough to broadcast counts its filters by their guessed share; which of
  // two such sides is the smaller does not, since a guess on each side can get their order wrong
  // (TPC-H Q7's two years of lineitem guessed at a ninth would be broadcast instead of orders).
  const size = { left: estimateBytes(ctx, plan.left), right: estimateBytes(ctx, plan.right) };
  const bound = { left: estimateBytes(ctx, plan.left, 'ignored'), right: estimateBytes(ctx, plan.right, 'ignored') };
  const allowed = broadcastableSides(plan.type).sort((a, b) => bound[a] - bound[b]);
  const on = keys.left.map((k, i) => `${k} = ${keys.right[i]}`).join(' AND ');

  if (keys.left.length > 0) {
    if (coPartitioned(left.distribution, right.distribution, keys)) {
      return merge(plan, left, right, `SortMergeJoin(${plan.type} on ${on}, co-partitioned)`, outputDistribution(plan, keys, left.tasks));
    }
    const lined = linedUp(left, right, keys);
    if (lined) {
      return merge(plan, lined.left, lined.right, `HashJoin(${plan.type} on ${on}, task by task: files clustered alike on ${lined.key.join(', ')})`,
        joinedClustering(plan.type, lined.left.distribution, lined.right.distribution));
    }
    const small = allowed.find((side) => size[side] < ctx.broadcastThresholdBytes);
    if (small) {
      const streamedSide = otherSide(small);
      // Guessing low here costs more (a large table built by every task) than guessing high (tasks grouped needlessly).
      if (bound[small] >= LARGE_BROADCAST_BYTES) sides[streamedSide] = regroupTasks(sides[streamedSide], ctx.workers);
      return broadcast(plan, sides, small, graph, `BroadcastHashJoin(${plan.type} on ${on}, broadcast ${small} ~${size[small]} bytes)`, bound[small], ctx, keys);
    }
    const partitions = ctx.shufflePartitions;
    const l = graph.read(graph.finish(left, { kind: 'hash', keys: keys.left, partitions }, keys.leftQualifiers));
    const r = graph.read(graph.finish(right, { kind: 'hash', keys: keys.right, partitions }, keys.rightQualifiers));
    return merge(plan, l, r, `ShuffleHashJoin(${plan.type} on ${on})`, outputDistribution(plan, keys, partitions));
  }

  const side = allowed[0];
  if (side) return broadcast(plan, sides, side, graph, `BroadcastNestedLoopJoin(${plan.type}, broadcast ${side})`, bound[side], ctx);
  const l = graph.gather(left);
  const r = graph.gather(right);
  const joined = merge(plan, l, r, `NestedLoopJoin(${plan.type})`, { kind: 'single' });
  return { ...joined, singleWorkerReason: `${plan.type} outer join without equality keys needs all rows of both sides in one task` };
}

const otherSide = (side: Side): Side => (side === 'left' ? 'right' : 'left');

/**
 * Two sides clustered on a join key pair, as they are or with their tasks merged into groups that
 * line up (a small table read in fewer splits than the large one it joins).
 */
function linedUp(left: Fragment, right: Fragment, keys: EquiKeys): { left: Fragment; right: Fragment; key: [string, string] } | undefined {
  const key = alignedKey(left.distribution, right.distribution, keys);
  if (key) return { left, right, key };
  const groups = alignedGroups(left.distribution, right.distribution, keys);
  if (!groups) return undefined;
  const [l, r] = [tasksMerged(left, groups.left), tasksMerged(right, groups.right)];
  const mergedKey = l && r ? alignedKey(l.distribution, r.distribution, keys) : undefined;
  return l && r && mergedKey ? { left: l, right: r, key: mergedKey } : undefined;
}

/**
 * A broadcast side this large costs more to build as a hash table than to scan: the streamed side
 * runs as one task per worker (regroup.ts) rather than one per split, so it is built fewer times.
 */
const LARGE_BROADCAST_BYTES = 4 * 1024 * 1024;
/**
 * A side this small (a dimension table: nation, supplier's keys) costs next to nothing to read whole in
 * every task. At 1 MiB, TPC-H Q14's 200 000 part keys and types, decoded by each of four tasks, took
 * longer than one stage exchanging them.
 */
const TINY_SIDE_BYTES = 256 * 1024;

function broadcast(plan: JoinNode, sides: Record<Side, Fragment>, small: Side, graph: StageGraph, operator: string, sizeBound: number, ctx: PlannerContext, keys?: EquiKeys): Fragment {
  const { workers, readWholeBroadcasts: readWholeAllowed } = ctx;
  const streamedSide: Side = small === 'left' ? 'right' : 'left';
  const streamed = sides[streamedSide];
  let built = sides[small];
  // Two single-task sides run together in one task: nothing to broadcast.
  if (!(built.tasks === 1 && streamed.tasks === 1)) {
    const asksForKeys = keys !== undefined && onlyAsksForKeys(plan, keys);
    // Every task repeats the side's filters, and would build a table of all its keys rather than of the distinct ones.
    const repeatsWork = asksForKeys || hasFilters(built);
    // Read whole, a side is decoded from its files by every task: a tiny one anywhere, a larger one only by
    // the one task per worker a large broadcast has (each reads a whole exchange file otherwise).
    const readsOncePerWorker = streamed.tasks <= workers;
    const whole = readWholeAllowed && (sizeBound < TINY_SIDE_BYTES || (readsOncePerWorker && !repeatsWork)) ? readWhole(built, streamed.tasks) : undefined;
    if (whole) {
      built = whole;
    } else {
      if (keys && asksForKeys) built = distinctKeys(built, keys.right, keys.rightQualifiers);
      built = graph.read(graph.finish(built, { kind: 'broadcast' }), { tasks: streamed.tasks });
    }
  }
  const [l, r] = small === 'left' ? [built, streamed] : [streamed, built];
  // Rows stay where the streamed side had them, and the streamed side is never the one an outer join
  // pads with NULLs, so its layout still holds for the output.
  return merge(plan, l, r, operator, streamed.distribution);
}

/**
 * A broadcast side that only reads Parquet files (filtered, projected, renamed) is read whole from
 * those files by every task of the other side, instead of by a stage that writes the same rows to an
 * exchange for them to read back: one stage fewer on the way to the answer, and no rows written.
 * The caller keeps a large side exchanged when every task would repeat work on it (TPC-H Q13's
 * NOT LIKE over 1.5 M order comments, Q22's 1.5 M order keys of which 390 000 are distinct).
 */
function readWhole(fragment: Fragment, tasks: number): Fragment | undefined {
  const placeholders = new Set(fragment.leaves.map((leaf) => leaf.placeholder));
  const onlyReads = (node: LogicalPlan): boolean =>
    placeholders.has(node) || ((node.op === 'filter' || node.op === 'project' || node.op === 'alias') && onlyReads(node.input));
  if (!onlyReads(fragment.plan) || fragment.leaves.some((leaf) => !leaf.wholeInput)) return undefined;
  return {
    ...fragment,
    leaves: fragment.leaves.map((leaf) => ({ ...leaf, inputFor: (_task: number, name: string) => leaf.wholeInput!(name) })),
    tasks,
    distribution: tasks === 1 ? { kind: 'single' } : { kind: 'any' },
    operators: [...fragment.operators, 'read whole by every task'],
  };
}

function hasFilters(fragment: Fragment): boolean {
  const filterNode = (node: LogicalPlan): boolean => node.op === 'filter' || ('input' in node && filterNode(node.input));
  return filterNode(fragment.plan) || fragment.leaves.some((leaf) => leaf.filtered === true);
}

/** A semi or anti join whose condition is key equalities alone only asks whether the right side has a key. */
function onlyAsksForKeys(plan: JoinNode, keys: EquiKeys): boolean {
  return (plan.type === 'semi' || plan.type === 'anti') && keys.right.length > 0 && keys.residual.length === 0;
}

/**
 * Every probe task builds a hash table of the broadcast side, so each of its tasks keeps every key
 * once (NULL keys included: a group like any other) rather than every row; the same key from two
 * tasks still arrives twice, which a semi or anti join does not mind.
 */
function distinctKeys(side: Fragment, columns: string[], qualifiers: (string | undefined)[]): Fragment {
  const fields: Field[] = [];
  columns.forEach((name, i) => {
    const field = side.plan.schema.fields.find((f) => f.name === name && (qualifiers[i] === undefined || f.qualifier === qualifiers[i]));
    if (!field) throw new Error(`internal: join key ${name} is not a column of the broadcast side`);
    if (!fields.includes(field)) fields.push(field);
  });
  const groupBy: Expr[] = fields.map((f) => ({ kind: 'column', name: f.name, ...(f.qualifier !== undefined ? { qualifier: f.qualifier } : {}) }));
  return extend(side, { op: 'aggregate', input: side.plan, groupBy, aggs: [], schema: { fields } }, 'HashAggregate(distinct join keys)');
}

function merge(plan: JoinNode, left: Fragment, right: Fragment, operator: string, distribution: Distribution): Fragment {
  if (left.tasks !== right.tasks) throw new Error(`internal: joining fragments with ${left.tasks} and ${right.tasks} tasks`);
  const reasons = [left.singleWorkerReason, right.singleWorkerReason].filter(Boolean);
  return {
    plan: { ...plan, left: left.plan, right: right.plan },
    leaves: [...left.leaves, ...right.leaves],
    tasks: left.tasks,
    distribution: checkedDistribution(distribution, plan.schema),
    operators: [...left.operators, ...right.operators.map((o) => `[right] ${o}`), operator],
    ...(reasons.length > 0 ? { singleWorkerReason: reasons.join('; ') } : {}),
  };
}

/** Both sides hash-partitioned the same way on corresponding join keys. */
function coPartitioned(left: Distribution, right: Distribution, keys: EquiKeys): boolean {
  if (left.kind !== 'hash' || right.kind !== 'hash' || left.partitions !== right.partitions) return false;
  if (left.keys.length !== right.keys.length) return false;
  return left.keys.every((k, i) => {
    const at = keys.left.indexOf(k);
    return at >= 0 && keys.right[at] === right.keys[i];
  });
}

function outputDistribution(plan: JoinNode, keys: EquiKeys, partitions: number): Distribution {
  // An outer side's keys are NULL on unmatched rows, so only the preserved side's keys describe the layout.
  if (plan.type === 'full') return { kind: 'any' };
  return { kind: 'hash', keys: plan.type === 'right' ? keys.right : keys.left, partitions };
}
