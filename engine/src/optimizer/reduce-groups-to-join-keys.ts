/**
 * An aggregation joined to a restricted relation on its grouping keys computes only the groups that
 * relation can match. A correlated subquery (TPC-H Q17: the average quantity per part, for the
 * parts of one brand and container) becomes a join of the outer rows to the subquery grouped by
 * its correlation keys; grouping all of lineitem to keep 0.1 % of the groups is most of the query.
 * The aggregation's input gets a semi join on the keys the other side can have (a "magic set"):
 *
 *   outer ⋈ Aggregate[k](R)   →   outer ⋈ Aggregate[k](R ⋉ keys)
 *
 * where `keys` are the outer key columns taken from the input below the outer side that carries
 * them and is restricted by filters of its own, not by a join (a filtered scan of part, not the
 * join of lineitem and part): a superset of the keys the join can match, which is all a semi join
 * needs. PushSemiJoinDown then moves the
 * semi join to the scan under the aggregation. Its key side is named REDUCTION_ALIAS, so it is
 * added once, and the physical planner leaves it out when the keys are too many to broadcast.
 */
import { joinNode } from '../plan/rebuild.js';
import { isReductionJoin, REDUCTION_ALIAS } from '../plan/reduction-join.js';
import { conjunction, splitConjunction, transformPlan } from '../plan/expr-walk.js';
import { tryResolveColumn } from '../plan/schema.js';
import type { Expr, Field, LogicalPlan } from '../plan/types.js';
import { followColumns } from './column-carrier.js';
import { joinNarrowsOtherSide, restricted } from './restricted.js';
import type { Rule } from './rule.js';

type Join = Extract<LogicalPlan, { op: 'join' }>;

export const reduceGroupsToJoinKeys: Rule = {
  name: 'ReduceGroupsToJoinKeys',
  apply: (plan) => transformPlan(plan, (node) => (node.op === 'join' && (node.type === 'inner' || node.type === 'left') ? reduce(node) : node)),
};

function reduce(join: Join): LogicalPlan {
  const pairs = keyPairs(join);
  if (pairs.length === 0) return join;
  const groupSide = followColumns(join.right, pairs.map((p) => p.right), 'exact');
  if (!groupSide.path.some((step) => step.node.op === 'aggregate')) return join;
  if ([...groupSide.path.map((s) => s.node), groupSide.at].some(isReductionJoin)) return join;

  const keySource = followColumns(join.left, pairs.map((p) => p.left), 'superset', (child, step) => restricted(child) && !joinNarrowsOtherSide(step.node, step.child));
  if (!restricted(keySource.at)) return join;
  const keys = keyRelation(keySource.at, keySource.columns);
  if (!keys) return join;

  const reducedFields = pairs.map((p) => join.right.schema.fields[p.right]!);
  const condition = conjunction(reducedFields.map((field, i): Expr => ({
    kind: 'call', fn: '=', args: [columnOf(field), { kind: 'column', name: keyName(i), qualifier: REDUCTION_ALIAS }],
  })));
  const combined = { fields: [...join.right.schema.fields, ...keys.schema.fields] };
  if (reducedFields.some((field, i) => tryResolveColumn(combined, columnOf(field) as { name: string; qualifier?: string }) !== pairs[i]!.right)) return join;
  return joinNode(join.left, joinNode(join.right, keys, 'semi', condition), join.type, join.condition);
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
  if (fields.some((field, i) => tryResolveColumn(source.schema, columnOf(field) as { name: string; qualifier?: string }) !== columns[i])) return undefined;
  const projected: Field[] = fields.map((field, i) => ({ name: keyName(i), type: field.type, nullable: field.nullable }));
  const project: LogicalPlan = {
    op: 'project',
    input: source,
    exprs: fields.map((field, i): Expr => ({ kind: 'alias', expr: columnOf(field), name: keyName(i) })),
    schema: { fields: projected },
  };
  return { op: 'alias', input: project, alias: REDUCTION_ALIAS, schema: { fields: projected.map((f) => ({ ...f, qualifier: REDUCTION_ALIAS })) } };
}

const keyName = (i: number) => `__rk${i}`;

function columnOf(field: Field): Expr {
  return field.qualifier !== undefined ? { kind: 'column', name: field.name, qualifier: field.qualifier } : { kind: 'column', name: field.name };
}
