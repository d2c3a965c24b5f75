/**
 * A join's input that is grouped, or built into a hash table, in full although the join can only
 * match a few of its keys is reduced to those keys first (a "magic set"):
 *
 *   outer ⋈ Aggregate[k](R)   →   outer ⋈ Aggregate[k](R ⋉ keys)       (inner and left joins)
 *   outer ⋉ R, outer ▷ R      →   outer ⋉ (R ⋉ keys), outer ▷ (R ⋉ keys)
 *   (X ⋉ S) ⋈ R               →   (X ⋉ S) ⋈ (R ⋉ S)                   (on the same key)
 *
 * A correlated subquery (TPC-H Q17: the average quantity per part, for the parts of one brand and
 * container) becomes a join of the outer rows to the subquery grouped by its correlation keys, and
 * grouping all of lineitem to keep 0.1 % of the groups was most of the query; an EXISTS over
 * lineitem (Q4, Q21) had every probing task build a hash table of millions of order keys.
 *
 * In the last form the other side is already restricted to the keys of S (TPC-H Q18: orders among
 * the subquery's few large orders, joined to all of lineitem, which was broadcast whole).
 *
 * Otherwise `keys` are the outer key columns taken from the input below the outer side that carries them and
 * is restricted by filters of its own, not by a join (a filtered scan of part, not the join of
 * lineitem and part): a superset of the keys the join can match, which is all a semi join needs.
 * PushSemiJoinDown then moves the new semi join down to the scan. Its key side is named
 * REDUCTION_ALIAS, so it is added once, and the physical planner leaves it out where it would not
 * pay (physical/planner.ts).
 */
import { joinNode } from '../plan/rebuild.js';
import { isReductionJoin, REDUCTION_ALIAS } from '../plan/reduction-join.js';
import { selectivity } from '../plan/selectivity.js';
import { conjunction, planChildren, splitConjunction, transformPlan } from '../plan/expr-walk.js';
import { columnExpr, tryResolveColumn } from '../plan/schema.js';
import type { Expr, Field, LogicalPlan } from '../plan/types.js';
import { followColumns } from './column-carrier.js';
import { joinNarrowsOtherSide } from './narrowing-join.js';
import type { Rule } from './rule.js';

type Join = Extract<LogicalPlan, { op: 'join' }>;

/** The largest guessed share of its rows (selectivity.ts) a key source may keep for a reduction to be added. */
const MAX_KEY_SELECTIVITY = 0.25;

export const reduceJoinInputsToKeys: Rule = {
  name: 'ReduceJoinInputsToKeys',
  apply: (plan) => transformPlan(plan, (node) => (node.op === 'join' && REDUCED[node.type] && !isReductionJoin(node) ? reduce(node) : node)),
};

/**
 * Which joins' right sides are reduced: an aggregation under an inner or left join (its rows are
 * grouped whatever the join keeps), and any semi or anti join's (its rows become the hash table
 * every probing task builds: TPC-H Q4 builds one of 1.4 M order keys to probe 57 000 orders).
 */
const REDUCED: Partial<Record<Join['type'], 'aggregate' | 'any'>> = { inner: 'aggregate', left: 'aggregate', semi: 'any', anti: 'any' };

function reduce(join: Join): LogicalPlan {
  const pairs = keyPairs(join);
  if (pairs.length === 0) return join;
  const reducedSide = followColumns(join.right, pairs.map((p) => p.right), 'exact');
  if ([...reducedSide.path.map((s) => s.node), reducedSide.at].some(isReductionJoin)) return join;

  const keySource = followColumns(join.left, pairs.map((p) => p.left), 'superset', (child, step) => selectivity(child) < 1 && !joinNarrowsOtherSide(step.node, step.child));
  const keys = keysOfSemiJoin(keySource.at, keySource.columns)
    ?? keysOfFilteredInput(join, reducedSide.path, pairs.map((p) => p.left))
    ?? keysByGuess(join, reducedSide.path, keySource.at, keySource.columns);
  if (!keys) return join;

  const reducedFields = pairs.map((p) => join.right.schema.fields[p.right]!);
  const condition = conjunction(reducedFields.map((field, i): Expr => ({
    kind: 'call', fn: '=', args: [columnExpr(field), { ...columnExpr(keys.schema.fields[keys.columns[i]!]!), qualifier: REDUCTION_ALIAS }],
  })));
  const combined = { fields: [...join.right.schema.fields, ...keys.schema.fields] };
  if (reducedFields.some((field, i) => tryResolveColumn(combined, columnExpr(field)) !== pairs[i]!.right)) return join;
  // Two key-side columns of one name cannot both be named through the alias.
  if (keys.columns.some((column) => tryResolveColumn(keys.schema, { name: keys.schema.fields[column]!.name, qualifier: REDUCTION_ALIAS }) !== column)) return join;
  return joinNode(join.left, joinNode(join.right, keys.plan, 'semi', condition), join.type, join.condition);
}

type KeyRelation = { plan: LogicalPlan; schema: LogicalPlan['schema']; columns: number[] };

/**
 * The other side's keys come from a semi join on them (TPC-H Q18: orders whose key is in the
 * subquery's few large orders): that semi join's own key side restricts this side just as well,
 * and it is computed once for both (the physical planner reuses its stage). No selectivity guess
 * is needed, as there is no new work to pay for but the probe.
 */
function keysOfSemiJoin(source: LogicalPlan, columns: number[]): KeyRelation | undefined {
  if (source.op !== 'join' || source.type !== 'semi' || isReductionJoin(source as LogicalPlan)) return undefined;
  const pairs = keyPairs(source);
  const keyColumns = columns.map((column) => pairs.find((pair) => pair.left === column)?.right);
  if (keyColumns.some((column) => column === undefined)) return undefined;
  const plan: LogicalPlan = {
    op: 'alias',
    input: source.right,
    alias: REDUCTION_ALIAS,
    schema: { fields: source.right.schema.fields.map((f) => ({ ...f, qualifier: REDUCTION_ALIAS })) },
  };
  return { plan, schema: plan.schema, columns: keyColumns as number[] };
}

/**
 * Keys read from a filtered input of its own (no join below it) rather than from a join that
 * restricts them further: computing a join's keys is a stage of its own on the way to the answer,
 * and TPC-H Q2's five-way join took longer than its 799 part keys saved over its 477.
 */
function keysOfFilteredInput(join: Join, reducedPath: { node: LogicalPlan }[], columns: number[]): KeyRelation | undefined {
  const source = followColumns(join.left, columns, 'superset', (child) => selectivity(child) < 1);
  if (planHasJoin(source.at)) return undefined;
  return keysByGuess(join, reducedPath, source.at, source.columns);
}

function planHasJoin(plan: LogicalPlan): boolean {
  return plan.op === 'join' || planChildren(plan).some(planHasJoin);
}

/** Keys of a restricted input, where its guessed selectivity says a new stage computing them pays. */
function keysByGuess(join: Join, reducedPath: { node: LogicalPlan }[], source: LogicalPlan, columns: number[]): KeyRelation | undefined {
  if (REDUCED[join.type] === 'aggregate' && !reducedPath.some((step) => step.node.op === 'aggregate')) return undefined;
  // Keys kept from more than a fraction of the rows cost a stage (on the critical path) to save little.
  if (selectivity(source) > MAX_KEY_SELECTIVITY) return undefined;
  const plan = keyRelation(source, columns);
  return plan && { plan, schema: plan.schema, columns: columns.map((_, i) => i) };
}

/** `left = right` conjuncts of the condition between a plain column of each side, by position. */
function keyPairs(join: Join): { left: number; right: number }[] {
  if (!join.condition) return [];
  const pairs: { left: number; right: number }[] = [];
  for (const conjunct of splitConjunction(join.condition)) {
    if (conjunct.kind !== 'call' || conjunct.fn !== '=' || conjunct.args.length !== 2) continue;
    const [a, b] = conjunct.args as [Expr, Expr];
    if (a.kind !== 'column' || b.kind !== 'column') continue;
    const [aLeft, aRight, bLeft, bRight] = [tryResolveColumn(join.left.schema, a), tryResolveColumn(join.right.schema, a), tryResolveColumn(join.left.schema, b), tryResolveColumn(join.right.schema, b)];
    if (typeof aLeft === 'number' && typeof bRight === 'number' && typeof aRight !== 'number' && typeof bLeft !== 'number') pairs.push({ left: aLeft, right: bRight });
    else if (typeof bLeft === 'number' && typeof aRight === 'number' && typeof bRight !== 'number' && typeof aLeft !== 'number') pairs.push({ left: bLeft, right: aRight });
  }
  return pairs.filter((p, i) => pairs.findIndex((q) => q.right === p.right) === i);
}

/** `SELECT k0 AS __rk0, ... FROM source` under REDUCTION_ALIAS, or undefined if a column cannot be named. */
function keyRelation(source: LogicalPlan, columns: number[]): LogicalPlan | undefined {
  const fields = columns.map((c) => source.schema.fields[c]!);
  if (fields.some((field, i) => tryResolveColumn(source.schema, columnExpr(field)) !== columns[i])) return undefined;
  const projected: Field[] = fields.map((field, i) => ({ name: keyName(i), type: field.type, nullable: field.nullable }));
  const project: LogicalPlan = {
    op: 'project',
    input: source,
    exprs: fields.map((field, i): Expr => ({ kind: 'alias', expr: columnExpr(field), name: keyName(i) })),
    schema: { fields: projected },
  };
  return { op: 'alias', input: project, alias: REDUCTION_ALIAS, schema: { fields: projected.map((f) => ({ ...f, qualifier: REDUCTION_ALIAS })) } };
}

const keyName = (i: number) => `__rk${i}`;

