/**
 * Output types come from DuckDB itself: expressions and queries are DESCRIBEd over empty relations
 * typed like their inputs, so the frontend never re-implements DuckDB's type rules.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent, renderExpr } from '../plan/render-expr.js';
import type { DataType, Expr, Field, Schema } from '../plan/types.js';
import { SqlError } from './errors.js';

/** Relation alias standing for the unqualified columns of an input while typing. */
const UNQUALIFIED = '__quire_unqualified';

function emptyRow(fields: Field[]): string {
  const seen = new Set<string>();
  const columns = fields
    .filter((f) => {
      const key = f.name.toLowerCase();
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map((f) => `CAST(NULL AS ${f.type}) AS ${quoteIdent(f.name)}`);
  return `(SELECT ${columns.length > 0 ? columns.join(', ') : '1 AS __quire_none'} LIMIT 0)`;
}

/** A FROM clause with one empty relation per qualifier, so qualified references resolve as in the plan. */
function emptyFrom(schema: Schema): string {
  const groups = new Map<string, Field[]>();
  for (const field of schema.fields) {
    const key = field.qualifier ?? UNQUALIFIED;
    groups.set(key, [...(groups.get(key) ?? []), field]);
  }
  if (groups.size === 0) return `${emptyRow([])} AS ${quoteIdent(UNQUALIFIED)}`;
  return [...groups].map(([alias, fields]) => `${emptyRow(fields)} AS ${quoteIdent(alias)}`).join(', ');
}

export async function describeSql(connection: DuckDBConnection, sql: string): Promise<Field[]> {
  try {
    const reader = await connection.runAndReadAll(`DESCRIBE ${sql}`);
    return reader.getRowObjects().map((row) => ({ name: String(row.column_name), type: String(row.column_type), nullable: true }));
  } catch (error) {
    // DuckDB's position information refers to the generated text, not the user's query: keep the message only.
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new SqlError(message);
  }
}

/** The DuckDB types of `exprs` evaluated over rows of `input` (aggregates and windows allowed, not mixed with plain columns). */
export async function typeExprs(connection: DuckDBConnection, input: Schema, exprs: Expr[]): Promise<DataType[]> {
  if (exprs.length === 0) return [];
  const column = (name: string, qualifier: string | undefined) => `${quoteIdent(qualifier ?? UNQUALIFIED)}.${quoteIdent(name)}`;
  const items = exprs.map((e, i) => `${renderExpr(e.kind === 'alias' ? e.expr : e, { column })} AS ${quoteIdent(`c${i}`)}`);
  const fields = await describeSql(connection, `SELECT ${items.join(', ')} FROM ${emptyFrom(input)}`);
  return fields.map((f) => f.type);
}

/**
 * The output columns of `sql` when each name in `bindings` is a relation of the given schema
 * (bound as CTEs, which shadow catalog tables just as the executor binds opaque inputs).
 */
export async function describeQuery(connection: DuckDBConnection, sql: string, bindings: Map<string, Schema>): Promise<Field[]> {
  const ctes = [...bindings].map(([name, schema]) => `${quoteIdent(name)} AS ${emptyRow(schema.fields)}`);
  const prefix = ctes.length > 0 ? `WITH ${ctes.join(', ')} ` : '';
  return describeSql(connection, `${prefix}SELECT * FROM (${sql}) AS __quire_described`);
}
