/** Parsed DuckDB expressions -> logical plan expressions, with names resolved against a scope. */
import { quoteIdent, quoteString } from '../plan/render-expr.js';
import type { DataType, Expr, SortKey } from '../plan/types.js';
import type { Translation } from './context.js';
import { SqlError, UntranslatableSql } from './errors.js';
import { cloneParsed, queryNodeText, walkParsed, type ParsedNode } from './parsed.js';
import { describeColumns, resolveDepth, type Scope } from './scope.js';
import { windowCall } from './window-expr.js';

export interface ExprContext {
  t: Translation;
  scope: Scope;
  /** Translates a scalar subquery into a column of the plan being built; absent where none may appear. */
  scalarSubquery?: (subquery: ParsedNode) => Promise<Expr>;
  /** SELECT-list aliases (lower-cased) and what they stand for, where a clause may name them (HAVING, ORDER BY). */
  aliasExprs?: Map<string, Expr>;
}

const COMPARISONS: Record<string, string> = {
  COMPARE_EQUAL: '=',
  COMPARE_NOTEQUAL: '<>',
  COMPARE_LESSTHAN: '<',
  COMPARE_GREATERTHAN: '>',
  COMPARE_LESSTHANOREQUALTO: '<=',
  COMPARE_GREATERTHANOREQUALTO: '>=',
  COMPARE_DISTINCT_FROM: 'is distinct from',
  COMPARE_NOT_DISTINCT_FROM: 'is not distinct from',
};

/** DuckDB's internal operator names -> the operator names the plan renderer knows. */
const OPERATOR_FUNCTIONS: Record<string, string> = {
  '~~': 'like', '!~~': 'not like', '~~*': 'ilike', '!~~*': 'not ilike', '~~~': 'glob',
  '+': '+', '-': '-', '*': '*', '/': '/', '//': '//', '%': '%', '^': '^', '**': '^', '||': '||',
};

const INTEGER_LITERALS = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT']);

const PLAIN_FUNCTION = /^[A-Za-z_][A-Za-z0-9_]*$/;

const SIMPLE_TYPES = new Set([
  'BOOLEAN', 'TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT',
  'FLOAT', 'DOUBLE', 'VARCHAR', 'BLOB', 'DATE', 'TIME', 'TIMESTAMP', 'TIMESTAMP WITH TIME ZONE', 'INTERVAL', 'UUID',
]);

/** A parsed type as DuckDB prints it, or undefined for types kept as SQL text (lists, structs, ...). */
export function parsedTypeName(type: ParsedNode): DataType | undefined {
  const id = String(type.id);
  if (id === 'DECIMAL' && type.type_info) return `DECIMAL(${type.type_info.width},${type.type_info.scale})`;
  if (type.type_info && type.type_info.alias) return undefined;
  return SIMPLE_TYPES.has(id) && !type.type_info ? id : undefined;
}

export function queryLocation(node: ParsedNode): number | undefined {
  return typeof node.query_location === 'number' && node.query_location < 2 ** 53 ? node.query_location : undefined;
}

export async function translateExpr(node: ParsedNode, cx: ExprContext): Promise<Expr> {
  const recurse = (child: ParsedNode) => translateExpr(child, cx);
  const all = (children: ParsedNode[] | undefined) => Promise.all((children ?? []).map(recurse));
  switch (node.class) {
    case 'COLUMN_REF':
      return resolveColumnRef(node, cx);
    case 'CONSTANT':
      return constant(node, cx);
    case 'COMPARISON': {
      const fn = COMPARISONS[node.type];
      if (!fn) return sqlText(node, cx);
      return { kind: 'call', fn, args: [await recurse(node.left), await recurse(node.right)] };
    }
    case 'CONJUNCTION':
      return { kind: 'call', fn: node.type === 'CONJUNCTION_OR' ? 'or' : 'and', args: await all(node.children) };
    case 'OPERATOR':
      return operator(node, cx);
    case 'BETWEEN':
      return { kind: 'call', fn: 'between', args: [await recurse(node.input), await recurse(node.lower), await recurse(node.upper)] };
    case 'CASE': {
      const branches = [];
      for (const check of node.case_checks as ParsedNode[]) {
        branches.push({ when: await recurse(check.when_expr), then: await recurse(check.then_expr) });
      }
      const otherwise = node.else_expr ? await recurse(node.else_expr) : undefined;
      return otherwise ? { kind: 'case', branches, otherwise } : { kind: 'case', branches };
    }
    case 'CAST': {
      const to = parsedTypeName(node.cast_type);
      if (node.try_cast || !to) return sqlText(node, cx);
      return { kind: 'cast', expr: await recurse(node.child), to };
    }
    case 'FUNCTION':
      return functionCall(node, cx);
    case 'WINDOW':
      return windowCall(node, cx);
    case 'SUBQUERY':
      if (node.subquery_type === 'SCALAR' && cx.scalarSubquery) return cx.scalarSubquery(node.subquery.node);
      throw new UntranslatableSql(`${String(node.subquery_type).toLowerCase()} subquery in this position`);
    default:
      return sqlText(node, cx);
  }
}

function resolveColumnRef(node: ParsedNode, cx: ExprContext): Expr {
  const names = node.column_names as string[];
  const found = resolveDepth(cx.scope, names);
  const aliased = names.length === 1 ? cx.aliasExprs?.get(names[0]!.toLowerCase()) : undefined;
  if (aliased && found) throw new UntranslatableSql(`"${names[0]}" names both a column and a SELECT-list alias`);
  if (aliased) return aliased;
  const field = found ? undefined : structField(names, cx);
  if (field) return field;
  if (!found) {
    if (names.length === 1 && cx.scope.selectAliases?.has(names[0]!.toLowerCase())) {
      throw new UntranslatableSql(`reference to the SELECT-list alias ${names[0]} in WHERE, GROUP BY expressions or the SELECT list`);
    }
    throw SqlError.at(
      `column "${names.join('.')}" not found; available columns: ${describeColumns(cx.scope)}`,
      cx.t.query,
      queryLocation(node),
    );
  }
  if (found.depth > 0) {
    let owner: Scope | undefined = cx.scope;
    for (let i = 0; i < found.depth; i++) owner = owner?.parent;
    const where = owner?.lateral ? 'a FROM subquery (lateral join)' : "a subquery outside its WHERE conjuncts";
    throw new UntranslatableSql(`correlated reference to ${names.join('.')} in ${where}`, true);
  }
  return found.expr;
}

/** `s.a` or `t.s.a` where `s` is a STRUCT column: the field, read with struct_extract. */
function structField(names: string[], cx: ExprContext): Expr | undefined {
  for (const columnLength of [2, 1]) {
    if (names.length <= columnLength) continue;
    const found = resolveDepth(cx.scope, names.slice(0, columnLength));
    if (!found || found.depth > 0 || found.expr.kind !== 'column') continue;
    const column = found.expr;
    const path = names.slice(columnLength);
    const sameName = cx.scope.fields.filter((f) => f.name.toLowerCase() === column.name.toLowerCase()).length;
    const base = column.qualifier && sameName > 1 ? `${quoteIdent(column.qualifier)}.${quoteIdent(column.name)}` : quoteIdent(column.name);
    const text = path.reduce((inner, key) => `struct_extract(${inner}, ${quoteString(key)})`, base);
    return { kind: 'sql', text, refs: [column.qualifier ? { name: column.name, qualifier: column.qualifier } : { name: column.name }] };
  }
  return undefined;
}

function constant(node: ParsedNode, cx: ExprContext): Promise<Expr> | Expr {
  const value = node.value as ParsedNode;
  const id = String(value.type.id);
  if (value.is_null) return { kind: 'literal', value: null, type: id === 'NULL' ? 'NULL' : parsedTypeName(value.type) ?? 'NULL' };
  const raw = value.value;
  if (id === 'DECIMAL' && value.type.type_info && typeof raw === 'number' && Number.isSafeInteger(raw)) {
    const scale = Number(value.type.type_info.scale);
    const digits = Math.abs(raw).toString().padStart(scale + 1, '0');
    const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
    return { kind: 'literal', value: `${raw < 0 ? '-' : ''}${text}`, type: parsedTypeName(value.type)! };
  }
  const simple = parsedTypeName(value.type);
  if (simple && INTEGER_LITERALS.has(simple) && typeof raw === 'number' && Number.isSafeInteger(raw)) {
    return { kind: 'literal', value: raw, type: simple };
  }
  if ((simple === 'DOUBLE' || simple === 'FLOAT') && typeof raw === 'number' && Number.isFinite(raw)) {
    return { kind: 'literal', value: raw, type: simple };
  }
  if (simple === 'VARCHAR' && typeof raw === 'string') return { kind: 'literal', value: raw, type: 'VARCHAR' };
  if (simple === 'BOOLEAN' && typeof raw === 'boolean') return { kind: 'literal', value: raw, type: 'BOOLEAN' };
  return sqlText(node, cx);
}

async function operator(node: ParsedNode, cx: ExprContext): Promise<Expr> {
  const args = async () => Promise.all((node.children as ParsedNode[]).map((c) => translateExpr(c, cx)));
  switch (node.type) {
    case 'OPERATOR_NOT':
      return { kind: 'call', fn: 'not', args: await args() };
    case 'OPERATOR_IS_NULL':
      return { kind: 'call', fn: 'is null', args: await args() };
    case 'OPERATOR_IS_NOT_NULL':
      return { kind: 'call', fn: 'is not null', args: await args() };
    case 'COMPARE_IN':
      return { kind: 'call', fn: 'in', args: await args() };
    case 'COMPARE_NOT_IN':
      return { kind: 'call', fn: 'not in', args: await args() };
    case 'OPERATOR_COALESCE':
      return { kind: 'call', fn: 'coalesce', args: await args() };
    default:
      return sqlText(node, cx);
  }
}

async function functionCall(node: ParsedNode, cx: ExprContext): Promise<Expr> {
  const name = String(node.function_name).toLowerCase();
  const children = (node.children ?? []) as ParsedNode[];
  if (children.some((c) => c.alias)) return sqlText(node, cx);
  const ordered = node.order_bys?.orders?.length > 0;
  if (cx.t.aggregateFunctions.has(name) || name === 'count_star') {
    if (ordered) throw new UntranslatableSql(`ordered aggregate ${name}(... ORDER BY ...)`);
    if (node.export_state) throw new UntranslatableSql('aggregate with EXPORT_STATE');
    const args = await Promise.all(children.map((c) => translateExpr(c, cx)));
    const filter = node.filter ? await translateExpr(node.filter, cx) : undefined;
    const fn = name === 'count_star' ? 'count' : name;
    return { kind: 'agg', fn, args, distinct: Boolean(node.distinct), ...(filter ? { filter } : {}) };
  }
  if (ordered || node.distinct || node.filter) return sqlText(node, cx);
  const fn = node.is_operator ? OPERATOR_FUNCTIONS[name] : PLAIN_FUNCTION.test(name) ? name : undefined;
  if (!fn) return sqlText(node, cx);
  return { kind: 'call', fn, args: await Promise.all(children.map((c) => translateExpr(c, cx))) };
}

export function sortDirection(order: ParsedNode): { ascending: boolean; nullsFirst: boolean } {
  const ascending = order.type !== 'DESCENDING';
  // DuckDB's default is NULLS LAST for both directions.
  const nullsFirst = order.null_order === 'NULLS_FIRST' || order.null_order === 'NULLS FIRST';
  return { ascending, nullsFirst };
}

export async function translateOrders(orders: ParsedNode[], cx: ExprContext): Promise<SortKey[]> {
  const keys: SortKey[] = [];
  for (const order of orders) keys.push({ expr: await translateExpr(order.expression, cx), ...sortDirection(order) });
  return keys;
}

/**
 * An expression kept as DuckDB SQL text. Every column it reads is resolved first and written
 * back qualified, so the text means the same wherever the plan renders it.
 */
async function sqlText(node: ParsedNode, cx: ExprContext): Promise<Expr> {
  const copy = cloneParsed(node);
  const refs: { name: string; qualifier?: string }[] = [];
  let blocker: string | undefined;
  walkParsed(copy, (n) => {
    if (n.class === 'SUBQUERY' || n.class === 'LAMBDA' || n.class === 'STAR' || n.class === 'WINDOW' || n.class === 'POSITIONAL_REFERENCE') {
      blocker = `${String(n.class).toLowerCase()} inside an expression kept as SQL text`;
    } else if (n.class === 'FUNCTION' && cx.t.aggregateFunctions.has(String(n.function_name).toLowerCase())) {
      blocker = 'aggregate inside an expression kept as SQL text';
    } else if (n.class === 'COLUMN_REF') {
      const expr = resolveColumnRef(n, cx);
      if (expr.kind !== 'column') {
        blocker = 'USING column inside an expression kept as SQL text';
        return;
      }
      refs.push(expr.qualifier ? { name: expr.name, qualifier: expr.qualifier } : { name: expr.name });
      // The text names a column by itself unless that is ambiguous here: the plan renderer drops
      // qualifiers that are not visible where it renders, which it cannot do inside SQL text.
      const sameName = cx.scope.fields.filter((f) => f.name.toLowerCase() === expr.name.toLowerCase()).length;
      n.column_names = expr.qualifier && sameName > 1 ? [expr.qualifier, expr.name] : [expr.name];
    }
  });
  if (blocker) throw new UntranslatableSql(blocker);
  const text = await expressionText(cx.t, copy);
  return { kind: 'sql', text, refs };
}

/** DuckDB's SQL text for one parsed expression. */
export async function expressionText(t: Translation, expr: ParsedNode): Promise<string> {
  const select: ParsedNode = {
    type: 'SELECT_NODE', modifiers: [], cte_map: { map: [] }, select_list: [{ ...expr, alias: '' }],
    from_table: { type: 'EMPTY', alias: '', sample: null }, where_clause: null, group_expressions: [], group_sets: [],
    aggregate_handling: 'STANDARD_HANDLING', having: null, sample: null, qualify: null,
  };
  const text = await queryNodeText(t.sql.connection, select);
  if (!text.startsWith('SELECT ')) throw new Error(`unexpected SQL text from json_deserialize_sql: ${text}`);
  return text.slice('SELECT '.length);
}
