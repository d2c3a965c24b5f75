/**
 * Query nodes (SELECT, set operations, WITH) -> logical plans. A node using a construct that is not
 * translated becomes an `opaque` plan node over the tables it reads, so it still runs correctly.
 */
import type { Expr, Field, LogicalPlan } from '../plan/types.js';
import { aliasPlan, joinNode, renameColumns } from './from.js';
import type { QueryEnv } from './context.js';
import { SqlError, UntranslatableSql } from './errors.js';
import { opaqueQuery } from './opaque.js';
import type { ParsedNode } from './parsed.js';
import { applyModifiers } from './modifiers.js';
import { columnExpr } from '../plan/schema.js';
import type { Scope } from './scope.js';
import { translateSelect } from './select.js';
import { describeNode } from './opaque.js';

/** Translates a query node that sees `env`'s CTEs; `parent` is the enclosing query's scope for subqueries. */
export async function translateQueryNode(node: ParsedNode, env: QueryEnv, parent?: Scope): Promise<LogicalPlan> {
  try {
    const inner = await withCtes(node, env);
    return await translateBody(node, inner, parent);
  } catch (error) {
    if (!(error instanceof UntranslatableSql)) throw error;
    // A subquery of an expression, or a lateral reference: the enclosing query falls back as a whole.
    if (parent && (!parent.lateral || error.correlated)) throw error;
    return opaqueQuery(node, env, error.construct);
  }
}

async function withCtes(node: ParsedNode, env: QueryEnv): Promise<QueryEnv> {
  const entries = (node.cte_map?.map ?? []) as { key: string; value: ParsedNode }[];
  if (entries.length === 0) return env;
  const ctes = new Map(env.ctes);
  for (const { key, value } of entries) {
    if (value.query?.node?.type === 'RECURSIVE_CTE_NODE') throw new UntranslatableSql('recursive CTE');
    const body = await translateQueryNode(value.query.node, { ...env, ctes });
    const plan = renameColumns(body, (value.aliases ?? []) as string[]);
    ctes.set(String(key).toLowerCase(), { name: key, plan });
  }
  return { ...env, ctes };
}

async function translateBody(node: ParsedNode, env: QueryEnv, parent: Scope | undefined): Promise<LogicalPlan> {
  switch (node.type) {
    case 'SELECT_NODE':
      return translateSelect(node, env, parent);
    case 'SET_OPERATION_NODE':
      return translateSetOperation(node, env, parent);
    default:
      throw new UntranslatableSql(`${String(node.type).toLowerCase().replaceAll('_', ' ')}`);
  }
}

function setOperands(node: ParsedNode): ParsedNode[] {
  if (Array.isArray(node.children)) return node.children as ParsedNode[];
  return [node.left, node.right];
}

async function translateSetOperation(node: ParsedNode, env: QueryEnv, parent: Scope | undefined): Promise<LogicalPlan> {
  const kind = String(node.setop_type);
  if (parent && !parent.lateral) throw new UntranslatableSql('set operation inside an expression subquery');
  const byName = kind === 'UNION_BY_NAME';
  const output = await describeNode({ ...node, modifiers: [] }, env);
  const inputs: LogicalPlan[] = [];
  for (const operand of setOperands(node)) {
    const plan = await translateQueryNode(operand, env, parent);
    inputs.push(byName ? plan : castTo(plan, output.map((f) => f.type)));
  }
  const outputs = output.map((f) => ({ kind: 'column', name: f.name }) as Expr);
  const modifiers = (node.modifiers ?? []) as ParsedNode[];
  if (kind === 'UNION' || kind === 'UNION_BY_NAME') {
    const union: LogicalPlan = { op: 'union', inputs, all: Boolean(node.setop_all), byName, schema: { fields: output } };
    return applyModifiers(union, modifiers, env, outputs);
  }
  if ((kind === 'INTERSECT' || kind === 'EXCEPT') && !node.setop_all && inputs.length === 2) {
    return applyModifiers(membershipSetOperation(kind, inputs[0]!, inputs[1]!, output), modifiers, env, outputs);
  }
  throw new UntranslatableSql(`${kind.toLowerCase()}${node.setop_all ? ' all' : ''} set operation`);
}

/**
 * INTERSECT / EXCEPT (set semantics) as a semi / anti join matching whole rows, NULLs equal to
 * NULLs as set operations treat them, then DISTINCT.
 */
function membershipSetOperation(kind: 'INTERSECT' | 'EXCEPT', left: LogicalPlan, right: LogicalPlan, output: Field[]): LogicalPlan {
  const l = aliasPlan(renameTo(left, output), '__set_left');
  const r = aliasPlan(renameTo(right, output), '__set_right');
  const condition = output
    .map((f): Expr => ({ kind: 'call', fn: 'is not distinct from', args: [{ kind: 'column', name: f.name, qualifier: '__set_left' }, { kind: 'column', name: f.name, qualifier: '__set_right' }] }))
    .reduce((a, b) => ({ kind: 'call', fn: 'and', args: [a, b] }));
  const joined = joinNode(l, r, kind === 'INTERSECT' ? 'semi' : 'anti', condition);
  const project: LogicalPlan = { op: 'project', input: joined, exprs: output.map((f) => ({ kind: 'column', name: f.name, qualifier: '__set_left' })), schema: { fields: output } };
  return { op: 'distinct', input: project, schema: { fields: output } };
}

/** The operand with the set operation's output names (DuckDB names set operation columns after the left operand). */
function renameTo(plan: LogicalPlan, output: Field[]): LogicalPlan {
  const fields = plan.schema.fields;
  if (fields.every((f, i) => f.name === output[i]!.name)) return plan;
  const exprs: Expr[] = fields.map((f, i) => ({ kind: 'alias', expr: columnExpr(f), name: output[i]!.name }));
  return { op: 'project', input: plan, exprs, schema: { fields: fields.map((f, i) => ({ name: output[i]!.name, type: f.type, nullable: f.nullable })) } };
}

/** Casts a union operand's columns to the union's output types where they differ. */
function castTo(plan: LogicalPlan, types: string[]): LogicalPlan {
  const fields = plan.schema.fields;
  if (fields.length !== types.length) throw new SqlError(`set operation operands have ${fields.length} and ${types.length} columns`);
  if (fields.every((f, i) => f.type === types[i])) return plan;
  const exprs: Expr[] = fields.map((f, i) => (f.type === types[i] ? columnExpr(f) : { kind: 'alias', expr: { kind: 'cast', expr: columnExpr(f), to: types[i]! }, name: f.name }));
  return { op: 'project', input: plan, exprs, schema: { fields: fields.map((f, i) => ({ name: f.name, type: types[i]!, nullable: f.nullable })) } };
}
