/**
 * The safety net: a query node the translator does not turn into distributable operators runs as
 * written, on one worker, over its base tables (each a normal plan computed first and bound by name).
 */
import type { DataType, Expr, Field, LogicalPlan, Schema } from '../plan/types.js';
import type { QueryEnv } from './context.js';
import { SqlError } from './errors.js';
import { queryLocation } from './expr.js';
import { resolveTable } from './from.js';
import { queryNodeText, walkParsed, type ParsedNode } from './parsed.js';
import { describeQuery, describeQueryAndTypeExprs } from './types-from-duckdb.js';

/** The relations `node` reads by name (tables and outer CTEs), each with the plan that computes it. */
export function namedInputs(node: ParsedNode, env: QueryEnv): Map<string, LogicalPlan> {
  const definedInside = new Set<string>();
  walkParsed(node, (n) => {
    for (const entry of (n.cte_map?.map ?? []) as { key: string }[]) definedInside.add(String(entry.key).toLowerCase());
  });
  const inputs = new Map<string, LogicalPlan>();
  const seen = new Set<string>();
  walkParsed(node, (n) => {
    if (n.type !== 'BASE_TABLE' || typeof n.table_name !== 'string') return;
    const name = n.table_name;
    const key = name.toLowerCase();
    if (definedInside.has(key) || seen.has(key)) return;
    seen.add(key);
    const plan = env.ctes.get(key)?.plan ?? resolveTable(name, env);
    if (!plan) {
      const known = env.t.sql.tableNames();
      throw SqlError.at(`table "${name}" not found; available tables: ${known.length > 0 ? known.join(', ') : '(none registered)'}`, env.t.query, queryLocation(n));
    }
    inputs.set(name, plan);
  });
  return inputs;
}

function schemasOf(inputs: Map<string, LogicalPlan>): Map<string, Schema> {
  return new Map([...inputs].map(([name, plan]) => [name, { fields: plan.schema.fields.map((f) => ({ name: f.name, type: f.type, nullable: f.nullable })) }]));
}

/**
 * The user's own text for the whole statement when it can be described inside parentheses, which
 * saves printing the parse tree back through DuckDB: a trailing semicolon is dropped and line
 * comments are safe (describeQuery puts the text on lines of its own). Text with another semicolon
 * or a block comment is left to DuckDB's printer.
 */
function statementText(node: ParsedNode, env: QueryEnv): string | undefined {
  if (node !== env.t.root) return undefined;
  const text = env.t.query.replace(/;\s*$/, '');
  return /;|\/\*/.test(text) ? undefined : text;
}

/** Output columns of a self-contained query node, named and typed by DuckDB. */
export async function describeNode(node: ParsedNode, env: QueryEnv): Promise<Field[]> {
  return (await describeNodeAndTypeExprs(node, env, { fields: [] }, [])).fields;
}

/** describeNode, and the types of `exprs` over rows of `input` in the same trip to DuckDB. */
export async function describeNodeAndTypeExprs(node: ParsedNode, env: QueryEnv, input: Schema, exprs: Expr[]): Promise<{ fields: Field[]; types: DataType[] }> {
  const text = statementText(node, env) ?? (await queryNodeText(env.t.sql.connection, node));
  return describeQueryAndTypeExprs(env.t.sql.connection, text, schemasOf(namedInputs(node, env)), input, exprs);
}

export async function opaqueQuery(node: ParsedNode, env: QueryEnv, reason: string): Promise<LogicalPlan> {
  const inputs = namedInputs(node, env);
  // The whole statement runs exactly as the user wrote it (unless comments or a semicolon would not
  // survive being embedded in a larger query); a part of it runs as DuckDB prints that part.
  const asWritten = node === env.t.root && !/;|--|\/\*/.test(env.t.query);
  const sql = asWritten ? env.t.query.trim() : await queryNodeText(env.t.sql.connection, node);
  const fields = await describeQuery(env.t.sql.connection, sql, schemasOf(inputs));
  return { op: 'opaque', sql, inputs: Object.fromEntries(inputs), reason, schema: { fields } };
}
