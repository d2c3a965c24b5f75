/**
 * One SELECT block -> plan, in SQL's evaluation order:
 * FROM -> WHERE (with subqueries as joins) -> GROUP BY/aggregates -> HAVING -> windows -> SELECT list
 * -> DISTINCT -> ORDER BY (select aliases, ordinals, or hidden columns) -> LIMIT/OFFSET.
 */
import type { DataType, Expr, Field, LogicalPlan, Schema, SortKey } from '../plan/types.js';
import { containsAggregate, containsWindow } from '../plan/expr-walk.js';
import type { QueryEnv } from './context.js';
import { SqlError, UntranslatableSql } from './errors.js';
import { queryLocation, sortDirection, translateExpr, type ExprContext } from './expr.js';
import { translateFrom, withUniqueColumns } from './from.js';
import { constantInteger, hasDistinct, isOrderByAll, limitPlan } from './modifiers.js';
import { describeNodeAndTypeExprs } from './opaque.js';
import { parsedConjuncts, type ParsedNode } from './parsed.js';
import { fieldExpr, lookupColumn, type Scope } from './scope.js';
import { scalarJoin } from './scalar-subquery.js';
import { applyJoins, membershipJoin, type PendingJoin } from './subquery.js';
import { aggregateStep } from './aggregate.js';
import { typeExprs } from './types-from-duckdb.js';

const key = (e: Expr) => JSON.stringify(e);

interface OrderTarget {
  /** Index of the select item the key sorts by, or the expression of a hidden sort column. */
  output?: number;
  hidden?: Expr;
  direction: { ascending: boolean; nullsFirst: boolean };
}

export async function translateSelect(node: ParsedNode, env: QueryEnv, parent: Scope | undefined): Promise<LogicalPlan> {
  if (node.sample) throw new UntranslatableSql('USING SAMPLE');
  if ((node.group_sets ?? []).length > 1) throw new UntranslatableSql('GROUPING SETS, ROLLUP or CUBE');
  const modifiers = (node.modifiers ?? []) as ParsedNode[];
  const distinct = hasDistinct(modifiers);

  const from = withUniqueColumns(await translateFrom(node.from_table, env, parent));
  const aliases = (node.select_list as ParsedNode[]).flatMap((item) => (item.alias ? [String(item.alias).toLowerCase()] : []));
  const scope: Scope = { ...from.scope, selectAliases: new Set(aliases) };
  const plan = await applyWhere(node.where_clause, from.plan, scope, env);

  // Scalar subqueries in the SELECT list, HAVING or ORDER BY join after aggregation (or after WHERE).
  const lateJoins: PendingJoin[] = [];
  const aggregating = () => (node.group_expressions ?? []).length > 0 || node.aggregate_handling === 'FORCE_AGGREGATES';
  const cx: ExprContext = {
    t: env.t,
    scope,
    scalarSubquery: async (sub) => {
      const { join, value } = await scalarJoin(sub, scope, env, !aggregating());
      lateJoins.push(join);
      return value;
    },
  };

  const items: { expr: Expr; alias?: string }[] = [];
  for (const item of node.select_list as ParsedNode[]) {
    if (item.class === 'STAR') items.push(...(await expandStar(item, scope, cx)));
    else items.push({ expr: await translateExpr(item, cx), ...(item.alias ? { alias: String(item.alias) } : {}) });
  }
  const aliasExprs = new Map(items.flatMap((i) => (i.alias ? [[i.alias.toLowerCase(), i.expr] as const] : [])));
  const afterSelect: ExprContext = { ...cx, aliasExprs };
  const having = node.having ? await translateExpr(node.having, afterSelect) : undefined;
  const qualify = node.qualify ? await translateExpr(node.qualify, afterSelect) : undefined;
  const orderModifier = modifiers.find((m) => m.type === 'ORDER_MODIFIER');
  const orders: OrderTarget[] = [];
  const parsedOrders = (orderModifier?.orders ?? []) as ParsedNode[];
  if (isOrderByAll(parsedOrders)) orders.push(...items.map((_, output) => ({ output, direction: sortDirection(parsedOrders[0]!) })));
  else for (const order of parsedOrders) orders.push(await orderTarget(order, items, afterSelect));

  const hidden = orders.flatMap((o) => (o.hidden ? [o.hidden] : []));
  const groupExprs: Expr[] = [];
  for (const g of (node.group_expressions ?? []) as ParsedNode[]) groupExprs.push(await groupTarget(g, items, scope, cx));
  if (node.aggregate_handling === 'FORCE_AGGREGATES' && groupExprs.length === 0) {
    groupExprs.push(...items.map((i) => i.expr).filter((e) => !containsAggregate(e) && e.kind !== 'literal'));
  }
  const usesAggregates = [...items.map((i) => i.expr), ...(having ? [having] : []), ...(qualify ? [qualify] : []), ...hidden].some(containsAggregate);

  let current = plan;
  let post = { items: items.map((i) => i.expr), having, qualify, hidden };
  if (groupExprs.length > 0 || usesAggregates || node.aggregate_handling === 'FORCE_AGGREGATES') {
    const step = await aggregateStep(env.t, current, groupExprs, post, lateJoins);
    current = step.plan;
    post = step.rewritten;
  } else if (having) {
    throw new SqlError('HAVING requires GROUP BY or an aggregate in the SELECT list');
  }
  current = applyJoins(current, lateJoins);
  if (post.having) current = { op: 'filter', input: current, predicate: post.having, schema: current.schema };

  // QUALIFY filters on window results, after the windows and before the SELECT list.
  const windowed = await windowStep(env, current, [...post.items, ...post.hidden, ...(post.qualify ? [post.qualify] : [])]);
  current = windowed.plan;
  const selected = windowed.exprs.slice(0, post.items.length);
  const hiddenExprs = windowed.exprs.slice(post.items.length, post.items.length + post.hidden.length);
  const qualifyExpr = post.qualify ? windowed.exprs[windowed.exprs.length - 1]! : undefined;
  if (qualifyExpr) current = { op: 'filter', input: current, predicate: qualifyExpr, schema: current.schema };

  if (hiddenExprs.length > 0 && distinct) throw new UntranslatableSql('SELECT DISTINCT ordered by an expression outside the select list');
  const projectExprs = [...selected, ...hiddenExprs];
  const { names, types } = await outputColumns(node, env, items, parent, current.schema, projectExprs);
  const projectNames = [...names, ...hiddenExprs.map((_, i) => `__order${i}`)];
  const fields: Field[] = projectNames.map((name, i) => ({ name, type: types[i]!, nullable: true }));
  current = {
    op: 'project',
    input: current,
    exprs: projectExprs.map((e, i) => (e.kind === 'column' && e.name === projectNames[i] ? e : { kind: 'alias', expr: e, name: projectNames[i]! })),
    schema: { fields },
  };
  if (distinct) current = { op: 'distinct', input: current, schema: current.schema };
  if (orders.length > 0) {
    let hiddenIndex = 0;
    const keys: SortKey[] = orders.map((o) => {
      const name = o.hidden ? `__order${hiddenIndex++}` : names[o.output!]!;
      if (!o.hidden && names.filter((n) => n === name).length > 1) throw new UntranslatableSql(`ORDER BY a column name the select list has twice (${name})`);
      return { expr: { kind: 'column', name }, ...o.direction };
    });
    current = { op: 'sort', input: current, keys, schema: current.schema };
  }
  const limit = modifiers.find((m) => m.type !== 'ORDER_MODIFIER' && m.type !== 'DISTINCT_MODIFIER');
  if (limit) current = limitPlan(current, limit);
  if (hiddenExprs.length > 0) {
    const visible = fields.slice(0, names.length);
    current = { op: 'project', input: current, exprs: visible.map((f) => ({ kind: 'column', name: f.name })), schema: { fields: visible } };
  }
  return current;
}

async function applyWhere(where: ParsedNode | null | undefined, input: LogicalPlan, scope: Scope, env: QueryEnv): Promise<LogicalPlan> {
  const early: PendingJoin[] = [];
  const memberships: PendingJoin[] = [];
  const predicates: Expr[] = [];
  const cx: ExprContext = {
    t: env.t,
    scope,
    scalarSubquery: async (sub) => {
      const { join, value } = await scalarJoin(sub, scope, env, true);
      early.push(join);
      return value;
    },
  };
  for (const conjunct of parsedConjuncts(where)) {
    const negated = conjunct.class === 'OPERATOR' && conjunct.type === 'OPERATOR_NOT' && conjunct.children?.[0]?.class === 'SUBQUERY';
    const inner = negated ? conjunct.children[0] : conjunct;
    if (inner.class === 'SUBQUERY' && inner.subquery_type === 'EXISTS') {
      memberships.push(...(await membershipJoin(inner.subquery.node, undefined, negated, scope, env)));
    } else if (inner.class === 'SUBQUERY' && inner.subquery_type === 'ANY' && inner.comparison_type === 'COMPARE_EQUAL') {
      memberships.push(...(await membershipJoin(inner.subquery.node, inner.child, negated, scope, env)));
    } else {
      predicates.push(await translateExpr(conjunct, cx));
    }
  }
  let plan = applyJoins(input, early);
  if (predicates.length > 0) {
    const predicate = predicates.reduce((a, b) => ({ kind: 'call', fn: 'and', args: [a, b] }));
    plan = { op: 'filter', input: plan, predicate, schema: plan.schema };
  }
  return applyJoins(plan, memberships);
}

/** `*`, `t.*`, with DuckDB's EXCLUDE (...) and REPLACE (expr AS name) options. */
async function expandStar(star: ParsedNode, scope: Scope, cx: ExprContext): Promise<{ expr: Expr; alias?: string }[]> {
  if (star.columns || star.expr) throw new UntranslatableSql('COLUMNS(...)');
  const qualifier = String(star.relation_name ?? '');
  const lower = (v: unknown) => String(v).toLowerCase();
  const excludedNames = new Set(((star.exclude_list ?? []) as unknown[]).map(lower));
  const excludedQualified = ((star.qualified_exclude_list ?? []) as ParsedNode[]).map((q) => ({ table: lower(q.table), column: lower(q.column) }));
  const excluded = (f: Field) =>
    excludedNames.has(f.name.toLowerCase()) || excludedQualified.some((q) => q.column === f.name.toLowerCase() && q.table === f.qualifier?.toLowerCase());
  const replacements = new Map(((star.replace_list ?? []) as ParsedNode[]).map((r) => [lower(r.key), r.value as ParsedNode]));
  const hidden = new Set(scope.starHidden ?? []);
  const fields = scope.fields.filter((f) => !hidden.has(f) && (!qualifier || f.qualifier?.toLowerCase() === qualifier.toLowerCase()));
  if (qualifier && fields.length === 0) throw new SqlError(`${qualifier}.* does not name a relation of the FROM clause`);
  const items: { expr: Expr; alias?: string }[] = [];
  for (const f of fields.filter((field) => !excluded(field))) {
    const replacement = replacements.get(f.name.toLowerCase());
    if (replacement) items.push({ expr: await translateExpr(replacement, cx), alias: f.name });
    else items.push({ expr: (!qualifier && scope.merged.get(f.name.toLowerCase())) || fieldExpr(scope, f) });
  }
  return items;
}

/**
 * Output column names (DuckDB's own for a self-contained query, aliases or c<i> for an expression
 * subquery) and the types of the projection over `input`, asked of DuckDB together.
 */
async function outputColumns(
  node: ParsedNode,
  env: QueryEnv,
  items: { expr: Expr; alias?: string }[],
  parent: Scope | undefined,
  input: Schema,
  projectExprs: Expr[],
): Promise<{ names: string[]; types: DataType[] }> {
  const known = parent && !parent.lateral
    ? items.map((item, i) => item.alias ?? (item.expr.kind === 'column' ? item.expr.name : `c${i}`))
    : evidentNames(node, items);
  if (known) return { names: known, types: await typeExprs(env.t.sql.connection, input, projectExprs) };
  const { fields, types } = await describeNodeAndTypeExprs(node, env, input, projectExprs);
  if (fields.length !== items.length) throw new Error(`internal: SELECT has ${items.length} items but DuckDB describes ${fields.length} columns`);
  return { names: fields.map((f) => f.name), types };
}

/**
 * The names DuckDB gives a SELECT's columns when no binding is needed to know them: every item has
 * an alias or is a column reference spelled exactly as the column it reads (DuckDB names those by
 * the column; the plan's names are DuckDB's), and no two names are alike (DuckDB would rename one).
 * Anything else (stars, other expressions, which DuckDB names by their printed text) is left to DuckDB.
 */
function evidentNames(node: ParsedNode, items: { expr: Expr; alias?: string }[]): string[] | undefined {
  const list = node.select_list as ParsedNode[];
  if (list.length !== items.length) return undefined;
  const names: string[] = [];
  for (const [i, parsed] of list.entries()) {
    const item = items[i]!;
    if (parsed.class === 'STAR') return undefined;
    if (item.alias) names.push(item.alias);
    else if (parsed.class === 'COLUMN_REF' && item.expr.kind === 'column' && item.expr.name === (parsed.column_names as string[]).at(-1)) names.push(item.expr.name);
    else return undefined;
  }
  return new Set(names.map((n) => n.toLowerCase())).size === names.length ? names : undefined;
}

async function orderTarget(order: ParsedNode, items: { expr: Expr; alias?: string }[], cx: ExprContext): Promise<OrderTarget> {
  const direction = sortDirection(order);
  const expr = order.expression as ParsedNode;
  const ordinal = constantInteger(expr);
  if (ordinal !== undefined) {
    if (ordinal < 1 || ordinal > items.length) throw SqlError.at(`ORDER BY position ${ordinal} is not in the select list (1 to ${items.length})`, cx.t.query, queryLocation(expr));
    return { output: ordinal - 1, direction };
  }
  if (expr.class === 'COLUMN_REF' && expr.column_names.length === 1) {
    const byAlias = items.findIndex((i) => i.alias?.toLowerCase() === String(expr.column_names[0]).toLowerCase());
    if (byAlias >= 0) return { output: byAlias, direction };
  }
  const translated = await translateExpr(expr, cx);
  const same = items.findIndex((i) => key(i.expr) === key(translated));
  return same >= 0 ? { output: same, direction } : { hidden: translated, direction };
}

async function groupTarget(group: ParsedNode, items: { expr: Expr; alias?: string }[], scope: Scope, cx: ExprContext): Promise<Expr> {
  const ordinal = constantInteger(group);
  if (ordinal !== undefined) {
    const item = items[ordinal - 1];
    if (!item) throw SqlError.at(`GROUP BY position ${ordinal} is not in the select list (1 to ${items.length})`, cx.t.query, queryLocation(group));
    return item.expr;
  }
  if (group.class === 'COLUMN_REF' && group.column_names.length === 1 && !lookupColumn(scope, group.column_names)) {
    const byAlias = items.find((i) => i.alias?.toLowerCase() === String(group.column_names[0]).toLowerCase());
    if (byAlias) return byAlias.expr;
  }
  return translateExpr(group, cx);
}

/** Computes window functions in a window node and refers to them by name in `exprs`. */
async function windowStep(env: QueryEnv, input: LogicalPlan, exprs: Expr[]): Promise<{ plan: LogicalPlan; exprs: Expr[] }> {
  if (!exprs.some(containsWindow)) return { plan: input, exprs };
  const windows: Expr[] = [];
  const names = new Map<string, string>();
  const replace = (e: Expr): Expr => {
    if (e.kind === 'window') {
      const k = key(e);
      if (!names.has(k)) {
        names.set(k, `__window${names.size}`);
        windows.push(e);
      }
      return { kind: 'column', name: names.get(k)! };
    }
    return mapChildren(e, replace);
  };
  const rewritten = exprs.map(replace);
  const types = await typeExprs(env.t.sql.connection, input.schema, windows);
  const aliased: Expr[] = windows.map((w) => ({ kind: 'alias', expr: w, name: names.get(key(w))! }));
  const fields: Field[] = windows.map((w, i) => ({ name: names.get(key(w))!, type: types[i]!, nullable: true }));
  return { plan: { op: 'window', input, windows: aliased, schema: { fields: [...input.schema.fields, ...fields] } }, exprs: rewritten };
}

/** Rebuilds `e` with `fn` applied to its direct children (top-down rewrites stop where `fn` replaces). */
export function mapChildren(e: Expr, fn: (child: Expr) => Expr): Expr {
  switch (e.kind) {
    case 'column':
    case 'literal':
    case 'star':
    case 'sql':
      return e;
    case 'call':
      return { ...e, args: e.args.map(fn) };
    case 'agg':
      return { ...e, args: e.args.map(fn), ...(e.filter ? { filter: fn(e.filter) } : {}) };
    case 'cast':
    case 'alias':
      return { ...e, expr: fn(e.expr) };
    case 'case':
      return { ...e, branches: e.branches.map((b) => ({ when: fn(b.when), then: fn(b.then) })), ...(e.otherwise ? { otherwise: fn(e.otherwise) } : {}) };
    case 'window':
      return {
        ...e,
        args: e.args.map(fn),
        spec: { ...e.spec, partitionBy: e.spec.partitionBy.map(fn), orderBy: e.spec.orderBy.map((k) => ({ ...k, expr: fn(k.expr) })) },
      };
  }
}
