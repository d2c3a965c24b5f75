/**
 * Output types come from DuckDB itself: expressions and queries are DESCRIBEd over empty relations
 * typed like their inputs, so the frontend never re-implements DuckDB's type rules.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { columnIndex, queryRows } from '../io/duckdbRows.js';
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
    const described = await queryRows(connection, `DESCRIBE ${sql}`);
    const name = columnIndex(described, 'column_name');
    const type = columnIndex(described, 'column_type');
    return described.rows.map((row) => ({ name: String(row[name]), type: String(row[type]), nullable: true }));
  } catch (error) {
    // DuckDB's position information refers to the generated text, not the user's query: keep the message only.
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new SqlError(message);
  }
}

/** A query evaluating `exprs` over no rows of `input`; `list` keeps output names apart from other lists'. */
function exprsSelect(input: Schema, exprs: Expr[], list: number): string {
  const column = (name: string, qualifier: string | undefined) => `${quoteIdent(qualifier ?? UNQUALIFIED)}.${quoteIdent(name)}`;
  const items = exprs.map((e, i) => `${renderExpr(e.kind === 'alias' ? e.expr : e, { column })} AS ${quoteIdent(`__quire_c${list}_${i}`)}`);
  return `SELECT ${items.join(', ')} FROM ${emptyFrom(input)}`;
}

/** The DuckDB types of `exprs` evaluated over rows of `input` (aggregates and windows allowed, not mixed with plain columns). */
export async function typeExprs(connection: DuckDBConnection, input: Schema, exprs: Expr[]): Promise<DataType[]> {
  return (await typeExprLists(connection, input, [exprs]))[0]!;
}

/**
 * The types of several lists of expressions over rows of `input`, in one DESCRIBE: each list is
 * typed in a subquery of its own (so grouping keys and aggregates need not mix), side by side.
 */
export async function typeExprLists(connection: DuckDBConnection, input: Schema, lists: Expr[][]): Promise<DataType[][]> {
  const known = lists.map((exprs) => exprs.map((e) => columnType(input, e)));
  const asked = lists.map((exprs, l) => exprs.filter((_, i) => known[l]![i] === undefined)).filter((exprs) => exprs.length > 0);
  let types: DataType[] = [];
  if (asked.length > 0) {
    const selects = asked.map((exprs, l) => exprsSelect(input, exprs, l));
    const sql = selects.length === 1 ? selects[0]! : `SELECT * FROM ${selects.map((select, l) => `(${select}) AS ${quoteIdent(`__quire_list${l}`)}`).join(', ')}`;
    types = (await describeSql(connection, sql)).map((f) => f.type);
    const expected = asked.reduce((n, exprs) => n + exprs.length, 0);
    if (types.length !== expected) throw new Error(`internal: DuckDB typed ${types.length} expressions, ${expected} were asked for`);
  }
  let next = 0;
  return known.map((list) => list.map((type) => type ?? types[next++]!));
}

/** Type names DuckDB prints exactly so: a column of one of these types needs no DESCRIBE to be typed. */
const CANONICAL_TYPES = new Set([
  'BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT',
  'FLOAT', 'DOUBLE', 'VARCHAR', 'BLOB', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'INTERVAL', 'UUID',
]);
const isCanonical = (type: DataType) => CANONICAL_TYPES.has(type) || /^DECIMAL\(\d+,\d+\)$/.test(type);

/**
 * The type of a plain column reference, read from `input` as DuckDB would resolve it over the empty
 * relations of emptyFrom (per qualifier, case-insensitively, the first of a name). Undefined when
 * the expression is not a column, does not resolve, or has a type DuckDB might print differently.
 */
function columnType(input: Schema, expr: Expr): DataType | undefined {
  const e = expr.kind === 'alias' ? expr.expr : expr;
  if (e.kind !== 'column') return undefined;
  const qualifier = e.qualifier ?? UNQUALIFIED;
  const name = e.name.toLowerCase();
  const field = input.fields.find((f) => (f.qualifier ?? UNQUALIFIED) === qualifier && f.name.toLowerCase() === name);
  return field && isCanonical(field.type) ? field.type : undefined;
}

/**
 * The output columns of `sql` when each name in `bindings` is a relation of the given schema
 * (bound as CTEs, which shadow catalog tables just as the executor binds opaque inputs).
 */
export async function describeQuery(connection: DuckDBConnection, sql: string, bindings: Map<string, Schema>): Promise<Field[]> {
  return (await describeQueryAndTypeExprs(connection, sql, bindings, { fields: [] }, [])).fields;
}

/**
 * describeQuery of `sql` and, in the same DESCRIBE, the types of `exprs` over rows of `input`
 * (a SELECT's output names and its projection's types, in one trip to DuckDB).
 */
export async function describeQueryAndTypeExprs(
  connection: DuckDBConnection,
  sql: string,
  bindings: Map<string, Schema>,
  input: Schema,
  exprs: Expr[],
): Promise<{ fields: Field[]; types: DataType[] }> {
  const ctes = [...bindings].map(([name, schema]) => `${quoteIdent(name)} AS ${emptyRow(schema.fields)}`);
  const prefix = ctes.length > 0 ? `WITH ${ctes.join(', ')} ` : '';
  // On lines of their own, so a line comment at the end of `sql` cannot swallow the parenthesis.
  const described = `(\n${sql}\n) AS __quire_described`;
  const alongside = exprs.length > 0 ? `, (${exprsSelect(input, exprs, 0)}) AS __quire_typed` : '';
  const columns = await describeSql(connection, `${prefix}SELECT * FROM ${described}${alongside}`);
  const fields = columns.slice(0, columns.length - exprs.length);
  return { fields, types: columns.slice(fields.length).map((f) => f.type) };
}
