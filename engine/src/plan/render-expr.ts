/**
 * Expressions of the logical plan rendered as DuckDB SQL text.
 *
 * Operator names accepted in `{ kind: 'call', fn }` (the DataFrame API and the SQL frontend
 * produce exactly these; every other name renders as a function call `fn(args)`):
 *
 *   binary:   '+', '-', '*', '/', '//', '%', '^', '=', '<>', '!=', '<', '<=', '>', '>=', '||',
 *             'like', 'not like', 'ilike', 'not ilike', 'glob', 'similar to',
 *             'is distinct from', 'is not distinct from'
 *   n-ary:    'and', 'or'                (two or more args, left to right)
 *   unary:    'not', '-' with one arg    (negation)
 *   postfix:  'is null', 'is not null'
 *   'in', 'not in':   args[0] IN (args[1], ...)
 *   'between', 'not between':  args[0] BETWEEN args[1] AND args[2]
 *
 * Every operator application is parenthesized, so the rendered text never depends on precedence.
 */
import type { DataType, Expr, SortKey, WindowSpec } from './types.js';
import { quoteIdent, quoteString } from './sql-quote.js';

export { quoteIdent, quoteString };

const BINARY_OPERATORS = new Set([
  '+', '-', '*', '/', '//', '%', '^', '=', '<>', '!=', '<', '<=', '>', '>=', '||',
  'like', 'not like', 'ilike', 'not ilike', 'glob', 'similar to',
  'is distinct from', 'is not distinct from',
]);

/** Function names are emitted unquoted, so they must be plain identifiers (optionally schema-qualified). */
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

/**
 * Type names are spliced into CAST(... AS type); reject anything that could end the expression
 * (quotes, semicolons, comments) instead of trusting it.
 */
const TYPE_NAME = /^[A-Za-z_][A-Za-z0-9_ ]*(\([A-Za-z0-9_ ,"()]*\))?(\[\d*\])*$/;


export function checkTypeName(type: DataType): DataType {
  if (typeof type !== 'string' || !TYPE_NAME.test(type.trim())) {
    throw new Error(`invalid DuckDB type name ${JSON.stringify(type)}`);
  }
  return type.trim();
}

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'INTEGER', 'INT', 'BIGINT', 'HUGEINT', 'UTINYINT', 'USMALLINT', 'UINTEGER', 'UBIGINT', 'UHUGEINT']);

/**
 * A literal of the given DuckDB type. Numbers, strings and NULL are cast to `type` unless the
 * bare literal already has that type, so `1::BIGINT`, decimals and dates keep their exact type.
 */
export function renderLiteral(value: string | number | boolean | null, type: DataType): string {
  const upper = checkTypeName(type).toUpperCase();
  if (value === null) return upper === 'NULL' ? 'NULL' : `CAST(NULL AS ${type})`;
  if (typeof value === 'boolean') {
    const text = value ? 'TRUE' : 'FALSE';
    return upper === 'BOOLEAN' || upper === 'BOOL' ? text : `CAST(${text} AS ${type})`;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return `CAST(${quoteString(String(value))} AS ${type})`;
    const text = String(value);
    if (upper === 'INTEGER' && Number.isInteger(value) && Math.abs(value) < 2 ** 31) return text;
    // Through a string, so large integers and decimals are parsed by DuckDB at the target type.
    return INTEGER_TYPES.has(upper) || upper.startsWith('DECIMAL') || upper.startsWith('NUMERIC')
      ? `CAST(${quoteString(text)} AS ${type})`
      : `CAST(${text} AS ${type})`;
  }
  if (typeof value === 'string') {
    return upper === 'VARCHAR' || upper === 'STRING' || upper === 'TEXT'
      ? quoteString(value)
      : `CAST(${quoteString(value)} AS ${type})`;
  }
  throw new Error(`renderLiteral: unsupported literal value ${JSON.stringify(value)} of type ${type}`);
}

export interface RenderExprOptions {
  /**
   * Renders a column reference; the default is `"qualifier"."name"` or `"name"`. Plan rendering
   * uses it to drop qualifiers that are not visible in the FROM clause being rendered.
   */
  column?: (name: string, qualifier: string | undefined) => string;
}

function defaultColumn(name: string, qualifier: string | undefined): string {
  return qualifier ? `${quoteIdent(qualifier)}.${quoteIdent(name)}` : quoteIdent(name);
}

function arity(fn: string, args: Expr[], expected: number): void {
  if (args.length !== expected) {
    throw new Error(`operator '${fn}' takes ${expected} argument(s), got ${args.length}`);
  }
}

export function renderExpr(expr: Expr, options: RenderExprOptions = {}): string {
  const r = (e: Expr) => renderExpr(e, options);
  switch (expr.kind) {
    case 'column':
      return (options.column ?? defaultColumn)(expr.name, expr.qualifier);
    case 'literal':
      return renderLiteral(expr.value, expr.type);
    case 'call':
      return renderCall(expr.fn, expr.args, r);
    case 'cast':
      return `CAST(${r(expr.expr)} AS ${checkTypeName(expr.to)})`;
    case 'case': {
      if (expr.branches.length === 0) throw new Error('CASE expression needs at least one WHEN branch');
      const branches = expr.branches.map((b) => ` WHEN ${r(b.when)} THEN ${r(b.then)}`).join('');
      const otherwise = expr.otherwise ? ` ELSE ${r(expr.otherwise)}` : '';
      return `(CASE${branches}${otherwise} END)`;
    }
    case 'agg': {
      const call = renderFunction(expr.fn, expr.args, expr.distinct, r);
      return expr.filter ? `${call} FILTER (WHERE ${r(expr.filter)})` : call;
    }
    case 'window':
      return `${renderFunction(expr.fn, expr.args, expr.distinct ?? false, r)} OVER (${renderWindowSpec(expr.spec, options)})`;
    case 'alias':
      return `${r(expr.expr)} AS ${quoteIdent(expr.name)}`;
    case 'star':
      return expr.qualifier ? `${quoteIdent(expr.qualifier)}.*` : '*';
    case 'sql':
      if (expr.text.trim() === '') throw new Error('an opaque SQL expression has empty text');
      return `(${expr.text})`;
    default: {
      const unknown: never = expr;
      throw new Error(`renderExpr: unknown expression kind ${JSON.stringify((unknown as { kind: unknown }).kind)}`);
    }
  }
}

function renderCall(fn: string, args: Expr[], r: (e: Expr) => string): string {
  const op = fn.toLowerCase();
  if (op === 'and' || op === 'or') {
    if (args.length < 2) throw new Error(`operator '${fn}' takes at least 2 arguments, got ${args.length}`);
    return `(${args.map(r).join(` ${op.toUpperCase()} `)})`;
  }
  if (op === 'not') {
    arity(fn, args, 1);
    return `(NOT ${r(args[0]!)})`;
  }
  if (op === '-' && args.length === 1) return `(- ${r(args[0]!)})`;
  if (BINARY_OPERATORS.has(op)) {
    arity(fn, args, 2);
    return `(${r(args[0]!)} ${op.toUpperCase()} ${r(args[1]!)})`;
  }
  if (op === 'is null' || op === 'is not null') {
    arity(fn, args, 1);
    return `(${r(args[0]!)} ${op.toUpperCase()})`;
  }
  if (op === 'in' || op === 'not in') {
    if (args.length < 2) throw new Error(`operator '${fn}' needs a value and at least one candidate, got ${args.length} argument(s)`);
    return `(${r(args[0]!)} ${op.toUpperCase()} (${args.slice(1).map(r).join(', ')}))`;
  }
  if (op === 'between' || op === 'not between') {
    arity(fn, args, 3);
    return `(${r(args[0]!)} ${op.toUpperCase()} ${r(args[1]!)} AND ${r(args[2]!)})`;
  }
  return renderFunction(fn, args, false, r);
}

function renderFunction(fn: string, args: Expr[], distinct: boolean, r: (e: Expr) => string): string {
  if (!FUNCTION_NAME.test(fn)) throw new Error(`invalid function name ${JSON.stringify(fn)}`);
  const onlyStar = args.length === 1 && args[0]!.kind === 'star' && !args[0]!.qualifier;
  if (fn.toLowerCase() === 'count' && (args.length === 0 || onlyStar) && !distinct) return 'count(*)';
  return `${fn}(${distinct ? 'DISTINCT ' : ''}${args.map(r).join(', ')})`;
}

export function renderSortKey(key: SortKey, options: RenderExprOptions = {}): string {
  return `${renderExpr(key.expr, options)} ${key.ascending ? 'ASC' : 'DESC'} NULLS ${key.nullsFirst ? 'FIRST' : 'LAST'}`;
}

export function renderWindowSpec(spec: WindowSpec, options: RenderExprOptions = {}): string {
  const parts: string[] = [];
  if (spec.partitionBy.length > 0) parts.push(`PARTITION BY ${spec.partitionBy.map((e) => renderExpr(e, options)).join(', ')}`);
  if (spec.orderBy.length > 0) parts.push(`ORDER BY ${spec.orderBy.map((k) => renderSortKey(k, options)).join(', ')}`);
  if (spec.frame) {
    if (/;|--|\/\*/.test(spec.frame)) throw new Error(`invalid window frame ${JSON.stringify(spec.frame)}`);
    parts.push(spec.frame);
  }
  return parts.join(' ');
}
