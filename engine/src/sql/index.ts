/**
 * The SQL frontend: DuckDB SQL text -> Quire's logical plan, parsed by DuckDB's own parser.
 * Constructs that are not translated into distributable operators become `opaque` plan nodes
 * (the query runs as written over its base tables), so every valid query still answers correctly.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Expr, LogicalPlan, Schema } from '../plan/types.js';
import { aggregateFunctionNames, type QueryEnv, type SqlContext, type Translation } from './context.js';
import { SqlError, UntranslatableSql } from './errors.js';
import { translateExpr } from './expr.js';
import { parseQuery } from './parsed.js';
import { translateQueryNode } from './query.js';
import { scopeOf } from './scope.js';

export type { SqlContext } from './context.js';
export { SqlError } from './errors.js';

async function translation(sql: SqlContext, query: string): Promise<Translation> {
  let id = 0;
  return { sql, query, aggregateFunctions: await aggregateFunctionNames(sql.connection), nextId: () => ++id };
}

/** Translates one SELECT query (WITH, set operations and subqueries included) into a logical plan. */
export async function sqlToPlan(query: string, ctx: SqlContext): Promise<LogicalPlan> {
  const node = await parseQuery(ctx.connection, query);
  const env: QueryEnv = { t: { ...(await translation(ctx, query)), root: node }, ctes: new Map() };
  return translateQueryNode(node, env);
}

/**
 * One expression over `input`'s columns (`df.filter("delay > 10")`, `expr("a + 1")`). Subqueries are
 * not allowed here; constructs without a structured form are kept as SQL text over resolved columns.
 */
export async function exprFromSql(text: string, input: Schema, connection: DuckDBConnection): Promise<Expr> {
  const prefix = 'SELECT '.length;
  const node = await parseQuery(connection, `SELECT ${text}`, { text, offset: prefix });
  // No tables: an expression reads only `input`'s columns.
  const t = await translation({ connection, resolveTable: () => undefined, tableNames: () => [] }, text);
  if (node.type !== 'SELECT_NODE' || node.select_list.length !== 1 || node.from_table.type !== 'EMPTY' || node.where_clause || (node.modifiers ?? []).length > 0) {
    throw new SqlError(`expected a single expression, got: ${text}`);
  }
  shiftLocations(node.select_list[0], prefix);
  try {
    const expr = await translateExpr(node.select_list[0], { t, scope: scopeOf(input.fields) });
    const alias = node.select_list[0].alias as string;
    return alias ? { kind: 'alias', expr, name: alias } : expr;
  } catch (error) {
    if (error instanceof UntranslatableSql) throw new SqlError(`unsupported in a column expression: ${error.construct}`);
    throw error;
  }
}

/** Parse positions are relative to `SELECT <text>`; make them relative to the user's text. */
function shiftLocations(node: unknown, by: number): void {
  if (Array.isArray(node)) node.forEach((n) => shiftLocations(n, by));
  else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    if (typeof record.query_location === 'number' && record.query_location < 2 ** 53) record.query_location -= by;
    Object.values(record).forEach((v) => shiftLocations(v, by));
  }
}
