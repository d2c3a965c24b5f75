/**
 * DataFrame joins: `on` as column names (a USING join, keys output once), a Column condition, or
 * nothing (cross). Inputs whose column names would collide are wrapped in a relation alias so every
 * reference stays unambiguous; `df.col('x')` references are mapped to the side `df` is on.
 */
import { aliasPlan, joinPlan, projectPlan } from '../plan/build.js';
import { AnalysisError } from '../plan/errors.js';
import { someExpr } from '../plan/expr-walk.js';
import { describeAvailable, tryResolveColumn } from '../plan/schema.js';
import type { Expr, Field, JoinType, LogicalPlan } from '../plan/types.js';
import { bindExpr, columnOrigin } from './bind.js';

export interface JoinSide {
  /** The DataFrame this side is. */
  id: number;
  plan: LogicalPlan;
  /** Ids of the DataFrames whose columns this side carries unchanged. */
  lineage: ReadonlySet<number>;
  /** Qualifier used if the side must be wrapped in an alias. */
  aliasName: string;
}

const HOW: Record<string, JoinType> = {
  inner: 'inner', cross: 'cross', left: 'left', leftouter: 'left', left_outer: 'left', right: 'right', rightouter: 'right',
  right_outer: 'right', full: 'full', outer: 'full', fullouter: 'full', full_outer: 'full', semi: 'semi', leftsemi: 'semi',
  left_semi: 'semi', anti: 'anti', leftanti: 'anti', left_anti: 'anti',
};

export function joinType(how: string): JoinType {
  const type = HOW[how.toLowerCase()];
  if (!type) throw new AnalysisError(`unknown join type '${how}'; use one of inner, left, right, full, semi, anti, cross`);
  return type;
}

const sameName = (a: Field, b: Field) => a.name.toLowerCase() === b.name.toLowerCase();
const column = (f: Field): Expr => (f.qualifier ? { kind: 'column', name: f.name, qualifier: f.qualifier } : { kind: 'column', name: f.name });

/** Whether a side's columns must get a fresh qualifier to be told apart from the other side's. */
function collides(side: LogicalPlan, other: LogicalPlan, preferThis: boolean): boolean {
  return side.schema.fields.some((f) =>
    other.schema.fields.some((g) => sameName(f, g) && (f.qualifier === undefined || (f.qualifier === g.qualifier && preferThis))),
  );
}

function originSide(expr: Expr, left: JoinSide, right: JoinSide): ('left' | 'right')[] {
  const sides: ('left' | 'right')[] = [];
  someExpr(expr, (e) => {
    const origin = columnOrigin.get(e);
    if (origin === undefined) return false;
    // The DataFrame itself wins over one it was derived from (`df.join(df.select(...), df.col('x') ...)`).
    const selfJoin = left.id === right.id;
    const direct = selfJoin ? undefined : origin === left.id ? 'left' : origin === right.id ? 'right' : undefined;
    const inLeft = direct ? direct === 'left' : left.lineage.has(origin);
    const inRight = direct ? direct === 'right' : right.lineage.has(origin);
    if (inLeft && inRight) throw new AnalysisError(`df.col('${(e as { name: string }).name}') is ambiguous in a self-join: alias the DataFrames (df.alias('a')) and use col('a.${(e as { name: string }).name}')`);
    if (inLeft) sides.push('left');
    else if (inRight) sides.push('right');
    return false;
  });
  return sides;
}

export interface BuiltJoin {
  plan: LogicalPlan;
  /** Qualifier each side's lineage got in the joined schema. */
  origins: Map<number, string>;
}

export function buildJoin(left: JoinSide, right: JoinSide, type: JoinType, on: string[] | Expr | undefined): BuiltJoin {
  if (on === undefined && type !== 'cross' && type !== 'inner') throw new AnalysisError(`${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} join needs 'on' (column names or a condition)`);
  const condition = Array.isArray(on) || on === undefined ? undefined : on;
  const tagged = condition ? originSide(condition, left, right) : [];
  const wrapRight = collides(right.plan, left.plan, true) || tagged.includes('right');
  const wrapLeft = collides(left.plan, right.plan, false) || tagged.includes('left');
  const l = wrapLeft ? aliasPlan(left.plan, left.aliasName) : left.plan;
  const r = wrapRight ? aliasPlan(right.plan, right.aliasName) : right.plan;
  // Columns of an ancestor both sides share cannot be placed, unless the ancestor is one side itself.
  const origins = new Map<number, string>();
  for (const id of left.lineage) if (wrapLeft && !right.lineage.has(id)) origins.set(id, left.aliasName);
  for (const id of right.lineage) if (wrapRight && !left.lineage.has(id)) origins.set(id, right.aliasName);
  if (left.id !== right.id) {
    if (wrapLeft) origins.set(left.id, left.aliasName);
    if (wrapRight) origins.set(right.id, right.aliasName);
  }
  const combined = { fields: [...l.schema.fields, ...r.schema.fields] };

  if (on === undefined) return { plan: joinPlan(l, r, 'cross'), origins };
  if (condition) {
    const bound = bindExpr(condition, combined, origins);
    return { plan: joinPlan(l, r, type === 'cross' ? 'inner' : type, bound), origins };
  }
  return { plan: usingJoin(l, r, type, on as string[]), origins };
}

function keyField(plan: LogicalPlan, key: string, side: string): Field {
  const index = tryResolveColumn(plan.schema, { name: key });
  if (typeof index !== 'number') {
    throw new AnalysisError(`join key '${key}' not found in the ${side} DataFrame; available: ${describeAvailable(plan.schema)}`);
  }
  return plan.schema.fields[index]!;
}

/** `df.join(other, ['k'])`: equality on each key, the key output once, first. */
function usingJoin(l: LogicalPlan, r: LogicalPlan, type: JoinType, keys: string[]): LogicalPlan {
  if (keys.length === 0) throw new AnalysisError('join on an empty list of columns; pass column names or a condition');
  const pairs = keys.map((k) => [keyField(l, k, 'left'), keyField(r, k, 'right')] as const);
  const equalities: Expr[] = pairs.map(([a, b]) => ({ kind: 'call', fn: '=', args: [column(a), column(b)] }));
  const condition = equalities.reduce((acc, e) => ({ kind: 'call', fn: 'and', args: [acc, e] }));
  const joined = joinPlan(l, r, type === 'cross' ? 'inner' : type, condition);
  if (type === 'semi' || type === 'anti') return joined;
  const keyOutputs: Expr[] = pairs.map(([a, b]) => {
    if (type === 'right') return column(b);
    if (type === 'full') return { kind: 'alias', expr: { kind: 'call', fn: 'coalesce', args: [column(a), column(b)] }, name: a.name };
    return column(a);
  });
  const isKey = (f: Field, side: 0 | 1) => pairs.some((p) => p[side] === f);
  const rest = [...l.schema.fields.filter((f) => !isKey(f, 0)), ...r.schema.fields.filter((f) => !isKey(f, 1))].map(column);
  return projectPlan(joined, [...keyOutputs, ...rest]);
}

