/** Name resolution for SQL: which input column a (possibly qualified) name in the query means. */
import { columnExpr } from '../plan/schema.js';
import type { Expr, Field } from '../plan/types.js';
import { SqlError } from './errors.js';

/** The columns a clause can see: the FROM clause's fields, and the enclosing query's for subqueries. */
export interface Scope {
  fields: Field[];
  /** Columns merged by JOIN ... USING / NATURAL JOIN: an unqualified name means this expression. */
  merged: Map<string, Expr>;
  /** The enclosing query's scope; references into it are correlations. */
  parent?: Scope;
  /** Columns `SELECT *` leaves out: the right side's copy of a USING column. */
  starHidden?: Field[];
  /** What a field means when it is not simply its qualified column (after columns were renamed apart). */
  exprs?: Map<Field, Expr>;
  /**
   * Set on the scope a FROM subquery sees: the FROM items to its left, which DuckDB lets it read
   * (lateral join); its parent is the enclosing query's scope.
   */
  lateral?: boolean;
  /** Lower-cased aliases of the SELECT list (DuckDB lets WHERE, GROUP BY and later items name them). */
  selectAliases?: Set<string>;
}

export function scopeOf(fields: Field[], parent?: Scope, merged = new Map<string, Expr>()): Scope {
  return parent ? { fields, merged, parent } : { fields, merged };
}

export function fieldExpr(scope: Scope, field: Field): Expr {
  return scope.exprs?.get(field) ?? columnExpr(field);
}

const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

/**
 * The column `names` (as parsed: `[name]`, `[qualifier, name]` or `[schema, table, name]`) refers to
 * in `scope` itself (not its parents), or undefined. Ambiguous names are an error, as in DuckDB.
 */
export function lookupColumn(scope: Scope, names: string[]): Expr | undefined {
  const name = names[names.length - 1]!;
  if (names.length === 1) {
    const merged = scope.merged.get(name.toLowerCase());
    if (merged) return merged;
    const hits = scope.fields.filter((f) => same(f.name, name));
    if (hits.length > 1) {
      const candidates = hits.map((f) => (f.qualifier ? `${f.qualifier}.${f.name}` : f.name)).join(', ');
      throw new SqlError(`column reference "${name}" is ambiguous: it could be ${candidates}`);
    }
    return hits[0] ? fieldExpr(scope, hits[0]) : undefined;
  }
  const qualifier = names[names.length - 2]!;
  const hit = scope.fields.find((f) => same(f.qualifier, qualifier) && same(f.name, name));
  return hit ? fieldExpr(scope, hit) : undefined;
}

/** Where a name resolves: 0 = this scope, 1 = the enclosing query, ...; undefined if nowhere. */
export function resolveDepth(scope: Scope, names: string[]): { expr: Expr; depth: number } | undefined {
  let current: Scope | undefined = scope;
  for (let depth = 0; current; depth++, current = current.parent) {
    const expr = lookupColumn(current, names);
    if (expr) return { expr, depth };
  }
  return undefined;
}

export function describeColumns(scope: Scope): string {
  if (scope.fields.length === 0) return '(none)';
  return scope.fields.map((f) => (f.qualifier ? `${f.qualifier}.${f.name}` : f.name)).join(', ');
}
