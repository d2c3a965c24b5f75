/**
 * Binding a Column to the DataFrame that uses it: column names are resolved against the input
 * schema (a missing one is an AnalysisError naming what exists) and rewritten to their canonical
 * form, and `df.col('x')` references are qualified by the relation `df` became part of.
 */
import { AnalysisError } from '../plan/errors.js';
import { exprText } from '../plan/expr-text.js';
import { someExpr, transformExpr } from '../plan/expr-walk.js';
import { tryResolveColumn } from '../plan/schema.js';
import type { Expr, Schema } from '../plan/types.js';
import { windowNeedsOver } from './column.js';

/** Column nodes made by `df.col(name)`, with the id of that DataFrame. */
export const columnOrigin = new WeakMap<Expr, number>();

/** Which qualifier the columns of an ancestor DataFrame (by id) carry in this DataFrame, if known. */
export type OriginQualifiers = ReadonlyMap<number, string>;

export function bindExpr(expr: Expr, schema: Schema, origins: OriginQualifiers = new Map()): Expr {
  const unbound = [] as Expr[];
  someExpr(expr, (e) => (windowNeedsOver.has(e) && unbound.push(e), false));
  if (unbound.length > 0) {
    throw new AnalysisError(`${exprText(unbound[0]!).replace(/ OVER \(\)$/, '')} is a window function: give it a window with .over(Window.partitionBy(...).orderBy(...))`);
  }
  return transformExpr(expr, (e) => {
    if (e.kind !== 'column') return e;
    const origin = columnOrigin.get(e);
    const qualifier = e.qualifier ?? (origin !== undefined ? origins.get(origin) : undefined);
    const ref = qualifier ? { name: e.name, qualifier } : { name: e.name };
    const index = tryResolveColumn(schema, ref);
    if (typeof index !== 'number') throw index.toError();
    const field = schema.fields[index]!;
    let resolvedQualifier = qualifier;
    if (!qualifier && field.name.toLowerCase() !== e.name.toLowerCase()) resolvedQualifier = field.qualifier; // a dotted name `t.a`
    return resolvedQualifier ? { kind: 'column', name: field.name, qualifier: resolvedQualifier } : { kind: 'column', name: field.name };
  });
}
