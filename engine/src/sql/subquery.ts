/**
 * Subqueries in WHERE, decorrelated into joins (scalar subqueries: scalar-subquery.ts):
 *   EXISTS / NOT EXISTS      -> semi / anti join on the correlation predicates
 *   x IN / NOT IN (SELECT y) -> semi / anti join on x = y (NOT IN keeps its NULL semantics, see below)
 * Anything else is left to the opaque fallback.
 */
import type { Expr, LogicalPlan } from '../plan/types.js';
import type { QueryEnv } from './context.js';
import { UntranslatableSql } from './errors.js';
import { translateExpr } from './expr.js';
import { aliasPlan, joinNode, translateFrom } from './from.js';
import { cloneParsed, parsedAnd, parsedConjuncts, type ParsedNode } from './parsed.js';
import { translateQueryNode } from './query.js';
import { lookupColumn, resolveDepth, type Scope } from './scope.js';

export interface PendingJoin {
  right: LogicalPlan;
  type: 'left' | 'semi' | 'anti';
  condition: Expr;
}

export const TRUE: Expr = { kind: 'literal', value: true, type: 'BOOLEAN' };
const ZERO: Expr = { kind: 'literal', value: 0, type: 'BIGINT' };
export const call = (fn: string, ...args: Expr[]): Expr => ({ kind: 'call', fn, args });

export function applyJoins(plan: LogicalPlan, joins: PendingJoin[]): LogicalPlan {
  return joins.reduce((acc, j) => joinNode(acc, j.right, j.type, j.condition), plan);
}

export interface Correlation {
  /** The subquery without its correlated WHERE conjuncts. */
  node: ParsedNode;
  /** WHERE conjuncts that read the outer query's columns. */
  correlated: ParsedNode[];
  /** Column refs (parsed) in `correlated` that belong to the subquery's own FROM clause. */
  innerRefs: ParsedNode[];
  isInner(ref: ParsedNode): boolean;
}

/** Column refs of a parsed expression, not descending into nested subqueries. */
export function columnRefs(expr: ParsedNode): ParsedNode[] {
  const refs: ParsedNode[] = [];
  const visit = (n: unknown): void => {
    if (Array.isArray(n)) n.forEach(visit);
    else if (n && typeof n === 'object') {
      const node = n as ParsedNode;
      if (node.class === 'SUBQUERY') return;
      if (node.class === 'COLUMN_REF') refs.push(node);
      Object.values(node).forEach(visit);
    }
  };
  visit(expr);
  return refs;
}

export async function splitCorrelation(sub: ParsedNode, env: QueryEnv, outer: Scope): Promise<Correlation | undefined> {
  if (sub.type !== 'SELECT_NODE' || (sub.cte_map?.map ?? []).length > 0) return undefined;
  const inner = await translateFrom(sub.from_table, env, outer);
  const isInner = (ref: ParsedNode) => lookupColumn(inner.scope, ref.column_names) !== undefined;
  const isOuter = (ref: ParsedNode) => !isInner(ref) && resolveDepth(outer, ref.column_names)?.depth === 0;
  const conjuncts = parsedConjuncts(sub.where_clause);
  const correlated = conjuncts.filter((c) => columnRefs(c).some(isOuter));
  if (correlated.length === 0) return undefined;
  const local = conjuncts.filter((c) => !correlated.includes(c));
  const innerRefs = correlated.flatMap(columnRefs).filter(isInner);
  return { node: { ...sub, where_clause: parsedAnd(local) }, correlated, innerRefs, isInner };
}

const refKey = (ref: ParsedNode) => (ref.column_names as string[]).join('.').toLowerCase();

/**
 * Translates the correlated conjuncts against the outer scope plus the subquery relation `alias`,
 * whose `__c<i>` columns carry the inner columns they read.
 */
async function correlationCondition(c: Correlation, alias: string, keys: string[], outer: Scope, sub: LogicalPlan, env: QueryEnv): Promise<Expr> {
  const scope: Scope = { ...outer, fields: [...outer.fields, ...sub.schema.fields] };
  const conditions: Expr[] = [];
  for (const conjunct of c.correlated) {
    const copy = cloneParsed(conjunct);
    for (const ref of columnRefs(copy)) {
      if (c.isInner(ref)) ref.column_names = [alias, `__c${keys.indexOf(refKey(ref))}`];
    }
    conditions.push(await translateExpr(copy, { t: env.t, scope }));
  }
  return conditions.reduce((a, b) => call('and', a, b));
}

function innerKeyList(c: Correlation): { keys: string[]; refs: ParsedNode[] } {
  const keys: string[] = [];
  const refs: ParsedNode[] = [];
  for (const ref of c.innerRefs) {
    if (keys.includes(refKey(ref))) continue;
    keys.push(refKey(ref));
    refs.push(ref);
  }
  return { keys, refs };
}

export const aliased = (expr: ParsedNode, alias: string): ParsedNode => ({ ...cloneParsed(expr), alias });

function hasOnlyDistinctModifiers(node: ParsedNode): boolean {
  return ((node.modifiers ?? []) as ParsedNode[]).every((m) => m.type === 'DISTINCT_MODIFIER' && !(m.distinct_on_targets?.length > 0));
}

/** `[NOT] EXISTS (sub)` or `x [NOT] IN (sub)` as semi or anti joins of the outer plan (same columns out). */
export async function membershipJoin(
  sub: ParsedNode, probe: ParsedNode | undefined, negated: boolean, outer: Scope, env: QueryEnv,
): Promise<PendingJoin[]> {
  const alias = `__sq${env.t.nextId()}`;
  const type = negated ? 'anti' : 'semi';
  const probeExpr = probe ? await translateExpr(probe, { t: env.t, scope: outer }) : undefined;
  const correlation = await splitCorrelation(sub, env, outer);
  if (!correlation) {
    const plan = aliasPlan(await translateQueryNode(sub, env, outer), alias);
    if (!probeExpr) return [{ right: plan, type, condition: TRUE }];
    if (plan.schema.fields.length !== 1) throw new UntranslatableSql(`IN with a subquery of ${plan.schema.fields.length} columns`);
    const value: Expr = { kind: 'column', name: plan.schema.fields[0]!.name, qualifier: alias };
    if (!negated) return [{ right: plan, type, condition: call('=', probeExpr, value) }];
    return notInJoins(probeExpr, plan, value, env);
  }
  const node = correlation.node;
  if ((node.group_expressions ?? []).length > 0 || node.having || !hasOnlyDistinctModifiers(node) || selectHasAggregate(node, env)) {
    throw new UntranslatableSql('correlated EXISTS/IN subquery with aggregation or LIMIT');
  }
  const { keys, refs } = innerKeyList(correlation);
  const selectList = refs.map((r, i) => aliased(r, `__c${i}`));
  if (probe) {
    if (node.select_list.length !== 1) throw new UntranslatableSql(`IN with a subquery of ${node.select_list.length} columns`);
    selectList.push(aliased(node.select_list[0], '__v'));
  }
  const plan = aliasPlan(await translateQueryNode({ ...node, select_list: selectList, modifiers: [] }, env, outer), alias);
  let condition = await correlationCondition(correlation, alias, keys, outer, plan, env);
  if (probeExpr) condition = call('and', condition, membership(probeExpr, { kind: 'column', name: '__v', qualifier: alias }, negated));
  return [{ right: plan, type, condition }];
}

/**
 * Uncorrelated `probe NOT IN (sub)` as an equi anti join plus a one-row check that carries SQL's
 * NULL rule: when the subquery has rows, a NULL probe or any NULL value makes NOT IN NULL (row dropped).
 */
function notInJoins(probe: Expr, sub: LogicalPlan, value: Expr, env: QueryEnv): PendingJoin[] {
  const statsAlias = `__sq${env.t.nextId()}`;
  const stats: LogicalPlan = {
    op: 'aggregate',
    input: sub,
    groupBy: [],
    aggs: [
      { kind: 'alias', expr: { kind: 'agg', fn: 'count', args: [], distinct: false }, name: '__rows' },
      { kind: 'alias', expr: { kind: 'agg', fn: 'count', args: [value], distinct: false }, name: '__values' },
    ],
    schema: { fields: [{ name: '__rows', type: 'BIGINT', nullable: false }, { name: '__values', type: 'BIGINT', nullable: false }] },
  };
  const rows: Expr = { kind: 'column', name: '__rows', qualifier: statsAlias };
  const values: Expr = { kind: 'column', name: '__values', qualifier: statsAlias };
  const nullRule = call('or', call('=', rows, ZERO), call('and', call('is not null', probe), call('=', rows, values)));
  return [
    { right: aliasPlan(stats, statsAlias), type: 'semi', condition: nullRule },
    { right: sub, type: 'anti', condition: call('=', probe, value) },
  ];
}

/**
 * The join condition for a correlated `probe IN (values)`. For NOT IN the anti join also drops a row
 * when the probe or any value is NULL: `x NOT IN (...)` is then NULL, never true (no values keeps the row).
 */
function membership(probe: Expr, value: Expr, negated: boolean): Expr {
  const equal = call('=', probe, value);
  return negated ? call('or', equal, call('is null', probe), call('is null', value)) : equal;
}

/** True when the SELECT list aggregates at this level (aggregates inside nested subqueries do not count). */
export function selectHasAggregate(node: ParsedNode, env: QueryEnv): boolean {
  const visit = (n: unknown): boolean => {
    if (Array.isArray(n)) return n.some(visit);
    if (!n || typeof n !== 'object') return false;
    const expr = n as ParsedNode;
    if (expr.class === 'SUBQUERY') return false;
    const name = String(expr.function_name ?? '').toLowerCase();
    if (expr.class === 'FUNCTION' && (env.t.aggregateFunctions.has(name) || name === 'count_star')) return true;
    return Object.values(expr).some(visit);
  };
  return visit(node.select_list);
}
