/**
 * Scalar subqueries as left joins: uncorrelated ones with their (at most) one row, correlated ones
 * with the subquery grouped by the inner sides of its `inner = outer` correlations. A missing group
 * means the aggregate ran over no rows: NULL for sum/avg/min/max..., 0 for count (the "COUNT bug"),
 * which a CASE on the join key restores.
 */
import type { Expr } from '../plan/types.js';
import type { QueryEnv } from './context.js';
import { UntranslatableSql } from './errors.js';
import { translateExpr } from './expr.js';
import { aliasPlan } from './from.js';
import { cloneParsed, walkParsed, type ParsedNode } from './parsed.js';
import { translateQueryNode } from './query.js';
import { scopeOf, type Scope } from './scope.js';
import { aliased, call, columnRefs, selectHasAggregate, splitCorrelation, TRUE, type PendingJoin } from './subquery.js';

/** Aggregates whose value over no rows is NULL, so a missing group after a left join means the same. */
export const NULL_ON_EMPTY = new Set(['sum', 'avg', 'min', 'max', 'any_value', 'first', 'last', 'median', 'stddev', 'stddev_samp', 'stddev_pop', 'var_samp', 'var_pop', 'variance', 'mean']);

function nullOnEmpty(expr: ParsedNode, env: QueryEnv): boolean {
  if (expr.class === 'CONSTANT') return true;
  if (expr.class === 'CAST') return nullOnEmpty(expr.child, env);
  if (expr.class !== 'FUNCTION') return false;
  const name = String(expr.function_name).toLowerCase();
  if (NULL_ON_EMPTY.has(name)) return !expr.filter && !expr.distinct;
  if (expr.is_operator && ['+', '-', '*', '/'].includes(name)) return (expr.children as ParsedNode[]).every((c) => nullOnEmpty(c, env));
  return false;
}

const COUNTS = new Set(['count', 'count_star']);

/**
 * The select expression with each aggregate replaced by its value over no rows (count: 0, the
 * NULL_ON_EMPTY ones: NULL), or an error if another aggregate or a subquery makes that unknown.
 */
function valueOverNoRows(selected: ParsedNode, env: QueryEnv): ParsedNode {
  const copy = cloneParsed({ root: selected });
  const replace = (holder: ParsedNode, key: string | number): void => {
    const node = holder[key] as ParsedNode;
    if (!node || typeof node !== 'object') return;
    if (node.class === 'SUBQUERY' || node.class === 'WINDOW') throw new UntranslatableSql('correlated scalar subquery with a nested subquery or window');
    const name = node.class === 'FUNCTION' ? String(node.function_name).toLowerCase() : '';
    if (COUNTS.has(name)) {
      holder[key] = { class: 'CONSTANT', type: 'VALUE_CONSTANT', alias: '', value: { type: { id: 'BIGINT' }, is_null: false, value: 0 } };
    } else if (NULL_ON_EMPTY.has(name)) {
      holder[key] = { class: 'CONSTANT', type: 'VALUE_CONSTANT', alias: '', value: { type: { id: 'NULL' }, is_null: true } };
    } else if (node.class === 'FUNCTION' && env.t.aggregateFunctions.has(name)) {
      throw new UntranslatableSql(`correlated scalar subquery with ${name}(), whose value over no rows is not known here`);
    } else {
      for (const child of Object.keys(node)) replace(node, child);
    }
  };
  replace(copy, 'root');
  return copy.root as ParsedNode;
}

/** True when the SELECT list calls a set-returning function (more rows than its input). */
function unnests(sub: ParsedNode): boolean {
  let found = false;
  walkParsed(sub.select_list, (n) => {
    if (n.class === 'FUNCTION' && ['unnest', 'generate_subscripts'].includes(String(n.function_name).toLowerCase())) found = true;
  });
  return found;
}

function guaranteesOneRow(sub: ParsedNode, env: QueryEnv): boolean {
  if (sub.type !== 'SELECT_NODE') return false;
  const limit = ((sub.modifiers ?? []) as ParsedNode[]).find((m) => m.type === 'LIMIT_MODIFIER');
  if (limit?.limit?.class === 'CONSTANT' && limit.limit.value?.value === 1) return true;
  if (unnests(sub)) return false;
  if (sub.from_table?.type === 'EMPTY' && !sub.where_clause && !sub.having) return true;
  return (sub.group_expressions ?? []).length === 0 && sub.aggregate_handling !== 'FORCE_AGGREGATES' && selectHasAggregate(sub, env);
}

/** A scalar subquery as a left join; returns the join and the column that carries its value. */
export async function scalarJoin(sub: ParsedNode, outer: Scope, env: QueryEnv, allowCorrelated: boolean): Promise<{ join: PendingJoin; value: Expr }> {
  const alias = `__sq${env.t.nextId()}`;
  const correlation = await splitCorrelation(sub, env, outer);
  if (!correlation) {
    if (!guaranteesOneRow(sub, env)) throw new UntranslatableSql('scalar subquery that may return more than one row');
    const plan = aliasPlan(await translateQueryNode(sub, env, outer), alias);
    if (plan.schema.fields.length !== 1) throw new UntranslatableSql(`scalar subquery of ${plan.schema.fields.length} columns`);
    return { join: { right: plan, type: 'left', condition: TRUE }, value: { kind: 'column', name: plan.schema.fields[0]!.name, qualifier: alias } };
  }
  const node = correlation.node;
  if (!allowCorrelated) throw new UntranslatableSql('correlated scalar subquery in an aggregating SELECT list or HAVING');
  const simple = (node.group_expressions ?? []).length === 0 && !node.having && (node.modifiers ?? []).length === 0 && node.aggregate_handling !== 'FORCE_AGGREGATES';
  const selected = node.select_list[0] as ParsedNode | undefined;
  if (!simple || node.select_list.length !== 1 || !selected || !selectHasAggregate(node, env) || unnests(node)) {
    throw new UntranslatableSql('correlated scalar subquery other than one ungrouped aggregate expression');
  }
  const overNoRows = nullOnEmpty(selected, env) ? undefined : valueOverNoRows(selected, env);
  // Each correlation must be `inner expression = outer expression`: the inner side becomes a grouping key.
  const innerSides: ParsedNode[] = [];
  const outerSides: ParsedNode[] = [];
  for (const conjunct of correlation.correlated) {
    const sides = conjunct.class === 'COMPARISON' && conjunct.type === 'COMPARE_EQUAL' ? [conjunct.left, conjunct.right] : [];
    const kind = (e: ParsedNode) => {
      const refs = columnRefs(e);
      if (refs.length === 0) return 'none';
      if (refs.every(correlation.isInner)) return 'inner';
      return refs.some(correlation.isInner) ? 'mixed' : 'outer';
    };
    const [l, r] = sides;
    if (l && r && kind(l) === 'inner' && kind(r) === 'outer') { innerSides.push(l); outerSides.push(r); }
    else if (l && r && kind(l) === 'outer' && kind(r) === 'inner') { innerSides.push(r); outerSides.push(l); }
    else throw new UntranslatableSql('correlated scalar subquery with a correlation other than inner = outer');
  }
  const rewritten: ParsedNode = {
    ...node,
    select_list: [...innerSides.map((e, i) => aliased(e, `__k${i}`)), aliased(node.select_list[0], '__v')],
    group_expressions: innerSides.map((e) => cloneParsed(e)),
    group_sets: [innerSides.map((_, i) => i)],
  };
  const plan = aliasPlan(await translateQueryNode(rewritten, env, outer), alias);
  const keys: Expr[] = [];
  for (const [i, side] of outerSides.entries()) {
    keys.push(call('=', await translateExpr(side, { t: env.t, scope: outer }), { kind: 'column', name: `__k${i}`, qualifier: alias }));
  }
  const condition = keys.reduce((a, b) => call('and', a, b));
  const value: Expr = { kind: 'column', name: '__v', qualifier: alias };
  if (!overNoRows) return { join: { right: plan, type: 'left', condition }, value };
  // No matching group (its key is NULL after the left join): the value the aggregate has over no rows.
  const type = plan.schema.fields.find((f) => f.name === '__v')!.type;
  const empty: Expr = { kind: 'cast', expr: await translateExpr(overNoRows, { t: env.t, scope: scopeOf([]) }), to: type };
  const missing = call('is null', { kind: 'column', name: '__k0', qualifier: alias });
  return { join: { right: plan, type: 'left', condition }, value: { kind: 'case', branches: [{ when: missing, then: empty }], otherwise: value } };
}
