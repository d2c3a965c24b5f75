/** The FROM clause: base tables, CTE references, subqueries and joins -> a plan and the scope it exposes. */
import type { Expr, Field, JoinType, LogicalPlan } from '../plan/types.js';
import type { QueryEnv } from './context.js';
import { SqlError, UntranslatableSql } from './errors.js';
import { queryLocation, translateExpr } from './expr.js';
import type { ParsedNode } from './parsed.js';
import { columnExpr } from '../plan/schema.js';
import { lookupColumn, scopeOf, type Scope } from './scope.js';
import { constantInteger } from './modifiers.js';
import { translateQueryNode } from './query.js';

export interface FromResult {
  plan: LogicalPlan;
  /** The columns the query can name (a FROM-less SELECT has a one-row input with no visible columns). */
  scope: Scope;
}

/**
 * Renames columns apart when the FROM clause has the same name twice (`nation n1, nation n2`).
 * Qualifiers only resolve while the joined relations are visible; once a node's input is wrapped
 * as a subquery, plan columns are found by name alone, so names must be unique from here on.
 * The scope keeps the user's names and qualifiers and maps them to the new columns.
 */
export function withUniqueColumns(from: FromResult): FromResult {
  const fields = from.plan.schema.fields;
  const taken = new Set<string>();
  const unique = fields.map((f) => {
    let name = f.name;
    for (let i = 1; taken.has(name.toLowerCase()); i++) name = `${f.name}_${i}`;
    taken.add(name.toLowerCase());
    return name;
  });
  if (unique.every((name, i) => name === fields[i]!.name)) return from;
  const renamed = new Map<string, Expr>(fields.map((f, i) => [`${f.qualifier ?? ''}.${f.name}`, { kind: 'column', name: unique[i]! }]));
  const remap = (e: Expr): Expr => (e.kind === 'column' ? renamed.get(`${e.qualifier ?? ''}.${e.name}`) ?? e : e.kind === 'call' ? { ...e, args: e.args.map(remap) } : e);
  const plan: LogicalPlan = {
    op: 'project',
    input: from.plan,
    exprs: fields.map((f, i) => (unique[i] === f.name ? columnExpr(f) : { kind: 'alias', expr: columnExpr(f), name: unique[i]! })),
    schema: { fields: fields.map((f, i) => ({ name: unique[i]!, type: f.type, nullable: f.nullable })) },
  };
  const exprs = new Map(from.scope.fields.map((f) => [f, remap(columnExpr(f))]));
  const merged = new Map([...from.scope.merged].map(([name, e]) => [name, remap(e)]));
  return { plan, scope: { ...from.scope, merged, exprs } };
}

export function aliasPlan(input: LogicalPlan, alias: string): LogicalPlan {
  return { op: 'alias', input, alias, schema: { fields: input.schema.fields.map((f) => ({ ...f, qualifier: alias })) } };
}

/** A single-row relation without visible columns, for `SELECT 1`. */
function oneRow(): LogicalPlan {
  return { op: 'range', start: 0, end: 1, step: 1, schema: { fields: [{ name: '__quire_one_row', type: 'BIGINT', nullable: false }] } };
}

/**
 * `parent` is the enclosing query's scope (for an expression subquery); `left` the FROM items to the
 * left of `ref`, which a FROM subquery may read (DuckDB joins such subqueries laterally).
 */
export async function translateFrom(ref: ParsedNode, env: QueryEnv, parent: Scope | undefined, left?: Scope): Promise<FromResult> {
  switch (ref.type) {
    case 'EMPTY':
      return { plan: oneRow(), scope: scopeOf([], parent) };
    case 'BASE_TABLE': {
      const plan = aliasPlan(renameColumns(baseTable(ref, env), (ref.column_name_alias ?? []) as string[]), ref.alias || ref.table_name);
      return { plan, scope: scopeOf(plan.schema.fields, parent) };
    }
    case 'SUBQUERY': {
      if (ref.sample) throw new UntranslatableSql('TABLESAMPLE');
      const siblings: Scope = { fields: left?.fields ?? [], merged: left?.merged ?? new Map(), lateral: true, ...(parent ? { parent } : {}) };
      const inner = await translateQueryNode(ref.subquery.node, env, siblings);
      const renamed = renameColumns(inner, (ref.column_name_alias ?? []) as string[]);
      const plan = aliasPlan(renamed, ref.alias || 'unnamed_subquery');
      return { plan, scope: scopeOf(plan.schema.fields, parent) };
    }
    case 'JOIN':
      return join(ref, env, parent);
    case 'TABLE_FUNCTION': {
      const plan = aliasPlan(renameColumns(rangeTable(ref), (ref.column_name_alias ?? []) as string[]), ref.alias || ref.function.function_name);
      return { plan, scope: scopeOf(plan.schema.fields, parent) };
    }
    case 'EXPRESSION_LIST':
      throw new UntranslatableSql('VALUES list in FROM');
    default:
      throw new UntranslatableSql(`${String(ref.type).toLowerCase()} in FROM`);
  }
}

/** `range(...)` / `generate_series(...)` with integer constants as a range node; other table functions fall back. */
function rangeTable(ref: ParsedNode): LogicalPlan {
  const name = String(ref.function?.function_name ?? '').toLowerCase();
  const args = ((ref.function?.children ?? []) as ParsedNode[]).map(constantInteger);
  const known = (name === 'range' || name === 'generate_series') && ref.with_ordinality !== 'WITH_ORDINALITY';
  if (!known || args.length < 1 || args.length > 3 || args.some((a) => a === undefined)) {
    throw new UntranslatableSql(`table function ${name} in FROM`);
  }
  const [first, second, third] = args as number[];
  const [start, stop, step] = args.length === 1 ? [0, first!, 1] : [first!, second!, third ?? 1];
  if (step === 0) throw new SqlError(`${name}: the step must not be 0`);
  // generate_series includes its stop value; range does not.
  const end = name === 'generate_series' ? stop + Math.sign(step) : stop;
  return { op: 'range', start, end, step, schema: { fields: [{ name, type: 'BIGINT', nullable: false }] } };
}

function baseTable(ref: ParsedNode, env: QueryEnv): LogicalPlan {
  const name = String(ref.table_name);
  if (ref.sample) throw new UntranslatableSql('TABLESAMPLE');
  if (ref.schema_name || ref.catalog_name) throw new UntranslatableSql(`schema-qualified table ${ref.schema_name}.${name}`);
  const cte = env.ctes.get(name.toLowerCase());
  if (cte) return cte.plan;
  const plan = resolveTable(name, env);
  if (!plan) {
    const known = env.t.sql.tableNames();
    const list = known.length > 0 ? known.join(', ') : '(none registered)';
    throw SqlError.at(`table "${name}" not found; available tables: ${list}`, env.t.query, queryLocation(ref));
  }
  return plan;
}

export function resolveTable(name: string, env: QueryEnv): LogicalPlan | undefined {
  const exact = env.t.sql.resolveTable(name);
  if (exact) return exact;
  const match = env.t.sql.tableNames().find((n) => n.toLowerCase() === name.toLowerCase());
  return match ? env.t.sql.resolveTable(match) : undefined;
}

/** Renames the first columns of `plan` (`AS s(a, b)`, `WITH r(a, b) AS ...`). */
export function renameColumns(plan: LogicalPlan, names: string[]): LogicalPlan {
  if (names.length === 0) return plan;
  if (names.length > plan.schema.fields.length) {
    throw new SqlError(`${names.length} column aliases given for a query with ${plan.schema.fields.length} columns`);
  }
  const fields: Field[] = plan.schema.fields.map((f, i) => ({ name: names[i] ?? f.name, type: f.type, nullable: f.nullable }));
  const exprs: Expr[] = plan.schema.fields.map((f, i) => (names[i] ? { kind: 'alias', expr: columnExpr(f), name: names[i]! } : columnExpr(f)));
  return { op: 'project', input: plan, exprs, schema: { fields } };
}

const JOIN_TYPES: Record<string, JoinType> = { INNER: 'inner', LEFT: 'left', RIGHT: 'right', OUTER: 'full', FULL: 'full', SEMI: 'semi', ANTI: 'anti' };

async function join(ref: ParsedNode, env: QueryEnv, parent: Scope | undefined): Promise<FromResult> {
  const left = await translateFrom(ref.left, env, parent);
  const right = await translateFrom(ref.right, env, parent, left.scope);
  const fields = [...left.scope.fields, ...right.scope.fields];
  const merged = new Map([...left.scope.merged, ...right.scope.merged]);
  const combined = scopeOf(fields, parent, merged);
  if (ref.ref_type === 'CROSS') {
    return { plan: joinNode(left.plan, right.plan, 'cross', undefined), scope: combined };
  }
  if (ref.ref_type !== 'REGULAR' && ref.ref_type !== 'NATURAL') throw new UntranslatableSql(`${String(ref.ref_type).toLowerCase()} join`);
  const type = JOIN_TYPES[ref.join_type];
  if (!type) throw new UntranslatableSql(`${String(ref.join_type).toLowerCase()} join`);
  let using = (ref.using_columns ?? []) as string[];
  if (ref.ref_type === 'NATURAL') {
    using = left.scope.fields.filter((l) => right.scope.fields.some((r) => r.name.toLowerCase() === l.name.toLowerCase())).map((f) => f.name);
  }
  const conditions: Expr[] = [];
  for (const name of using) {
    const l = lookupColumn(left.scope, [name]);
    const r = lookupColumn(right.scope, [name]);
    if (!l || !r) throw new SqlError(`USING column "${name}" must exist on both sides of the join`);
    conditions.push({ kind: 'call', fn: '=', args: [l, r] });
    // An unqualified USING column means the left one, the right one for RIGHT joins, either for FULL joins.
    const mergedExpr: Expr = type === 'right' ? r : type === 'full' ? { kind: 'call', fn: 'coalesce', args: [l, r] } : l;
    merged.set(name.toLowerCase(), mergedExpr);
  }
  if (ref.condition) {
    conditions.push(await translateExpr(ref.condition, { t: env.t, scope: scopeOf(fields, parent) }));
  }
  const condition: Expr = conditions.length === 0
    ? { kind: 'literal', value: true, type: 'BOOLEAN' }
    : conditions.reduce((a, b) => ({ kind: 'call', fn: 'and', args: [a, b] }));
  const plan = joinNode(left.plan, right.plan, type, condition);
  const visible = type === 'semi' || type === 'anti' ? left.scope.fields : fields;
  const hiddenRight = new Set(using.map((n) => n.toLowerCase()));
  // SELECT * shows a USING column once; the merged map decides what the bare name means.
  const starHidden = [...(left.scope.starHidden ?? []), ...(right.scope.starHidden ?? []), ...hiddenRightFields(right.scope.fields, hiddenRight)];
  return { plan, scope: { ...scopeOf(visible, parent, merged), starHidden } };
}

function hiddenRightFields(fields: Field[], names: Set<string>): Field[] {
  return fields.filter((f) => names.has(f.name.toLowerCase()));
}

export function joinNode(left: LogicalPlan, right: LogicalPlan, type: JoinType, condition: Expr | undefined): LogicalPlan {
  const nullable = (fields: Field[], yes: boolean) => fields.map((f) => (yes ? { ...f, nullable: true } : f));
  const leftFields = nullable(left.schema.fields, type === 'right' || type === 'full');
  const rightFields = nullable(right.schema.fields, type === 'left' || type === 'full');
  const fields = type === 'semi' || type === 'anti' ? left.schema.fields : [...leftFields, ...rightFields];
  return condition
    ? { op: 'join', left, right, type, condition, schema: { fields } }
    : { op: 'join', left, right, type, schema: { fields } };
}
