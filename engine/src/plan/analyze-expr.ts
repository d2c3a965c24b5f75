/**
 * Resolves an expression against its input schema: every column must exist and every operator
 * must fit its operands. Returns the field the expression produces.
 */
import { AnalysisError } from './errors.js';
import { exprText, defaultName } from './expr-text.js';
import { aggregateFunctionType, scalarFunctionType, windowFunctionType } from './function-types.js';
import { resolveColumn } from './schema.js';
import { arithmeticType, categoryOf, commonType, comparable, parseDecimal } from './type-rules.js';
import type { DataType, Expr, Field, Schema } from './types.js';

const ARITHMETIC = new Set(['+', '-', '*', '/', '%', '//']);
const COMPARISON = new Set(['=', '!=', '<>', '<', '<=', '>', '>=']);
const BOOLEAN_OPS = new Set(['and', 'or', 'not']);
const PREDICATES = new Set(['is null', 'is not null', 'in', 'not in', 'like', 'not like', 'ilike', 'between', 'is distinct from', 'is not distinct from']);

interface Typed {
  type: DataType;
  nullable: boolean;
}

function operandText(expr: Expr, type: DataType): string {
  return `${exprText(expr)} (${type})`;
}

function requireBoolean(expr: Expr, t: Typed, context: string): void {
  const c = categoryOf(t.type);
  if (c !== 'boolean' && c !== 'null' && c !== 'other') {
    throw new AnalysisError(`type mismatch: ${context} needs a BOOLEAN, but ${exprText(expr)} is ${t.type}`);
  }
}

function typeCall(expr: Extract<Expr, { kind: 'call' }>, schema: Schema): Typed {
  const fn = expr.fn.toLowerCase();
  const args = expr.args.map((a) => typeOf(a, schema));
  const nullable = args.some((a) => a.nullable);
  if (ARITHMETIC.has(fn) && args.length === 2) {
    const [a, b] = [args[0]!, args[1]!];
    const describe = () => `${operandText(expr.args[0]!, a.type)} and ${operandText(expr.args[1]!, b.type)}`;
    const type = fn === '//' ? arithmeticType('-', a.type, b.type, describe) : arithmeticType(fn, a.type, b.type, describe);
    return { type, nullable: nullable || fn === '/' || fn === '%' };
  }
  if (fn === '-' && args.length === 1) return args[0]!;
  if (COMPARISON.has(fn)) {
    const [a, b] = [args[0]!, args[1]!];
    const [ea, eb] = [expr.args[0]!, expr.args[1]!];
    if (!comparable(a.type, b.type, eb.kind === 'literal') && !comparable(b.type, a.type, ea.kind === 'literal')) {
      throw new AnalysisError(`type mismatch: cannot compare ${operandText(ea, a.type)} with ${operandText(eb, b.type)}`);
    }
    return { type: 'BOOLEAN', nullable };
  }
  if (BOOLEAN_OPS.has(fn)) {
    expr.args.forEach((a, i) => requireBoolean(a, args[i]!, `'${fn.toUpperCase()}'`));
    return { type: 'BOOLEAN', nullable };
  }
  if (PREDICATES.has(fn)) {
    if (fn === 'in' || fn === 'not in' || fn === 'between') {
      expr.args.slice(1).forEach((arg, i) => {
        const t = args[i + 1]!;
        if (!comparable(args[0]!.type, t.type, arg.kind === 'literal')) {
          throw new AnalysisError(`type mismatch: cannot compare ${operandText(expr.args[0]!, args[0]!.type)} with ${operandText(arg, t.type)}`);
        }
      });
    }
    if ((fn === 'like' || fn === 'not like' || fn === 'ilike') && categoryOf(args[0]!.type) !== 'string' && categoryOf(args[0]!.type) !== 'null') {
      throw new AnalysisError(`type mismatch: ${fn.toUpperCase()} needs a VARCHAR, but ${exprText(expr.args[0]!)} is ${args[0]!.type}`);
    }
    return { type: 'BOOLEAN', nullable: fn.startsWith('is ') ? false : nullable };
  }
  let type = scalarFunctionType(fn, args.map((a) => a.type));
  const decimal = fn === 'round' ? parseDecimal(type) : undefined;
  if (decimal) {
    const digits = expr.args[1];
    const scale = digits?.kind === 'literal' && typeof digits.value === 'number' ? Math.min(Math.max(digits.value, 0), decimal.scale) : 0;
    type = `DECIMAL(${decimal.precision},${scale})`;
  }
  return { type, nullable: fn === 'coalesce' || fn === 'ifnull' ? args.every((a) => a.nullable) : nullable };
}

export function typeOf(expr: Expr, schema: Schema): Typed {
  switch (expr.kind) {
    case 'column': {
      const field = resolveColumn(schema, expr);
      return { type: field.type, nullable: field.nullable };
    }
    case 'literal':
      return { type: expr.type, nullable: expr.value === null };
    case 'star':
      throw new AnalysisError(`'${exprText(expr)}' can only be selected, not used inside an expression`);
    case 'sql':
      throw new AnalysisError(`SQL expression '${expr.text}' has not been resolved; its type is not known yet`);
    case 'alias':
      return typeOf(expr.expr, schema);
    case 'cast':
      // SQL text DuckDB typed for us stays text inside a cast to that type (api/sql-text.ts): the cast is its type.
      if (expr.expr.kind !== 'sql') typeOf(expr.expr, schema);
      return { type: expr.to, nullable: true };
    case 'case': {
      expr.branches.forEach((b) => requireBoolean(b.when, typeOf(b.when, schema), 'a WHEN condition'));
      const results = [...expr.branches.map((b) => b.then), ...(expr.otherwise ? [expr.otherwise] : [])];
      const typed = results.map((r) => typeOf(r, schema));
      const type = commonType(typed.map((t) => t.type));
      if (!type) {
        throw new AnalysisError(`type mismatch: CASE results do not share a type: ${results.map((r, i) => operandText(r, typed[i]!.type)).join(', ')}`);
      }
      return { type, nullable: !expr.otherwise || typed.some((t) => t.nullable) };
    }
    case 'call':
      return typeCall(expr, schema);
    case 'agg': {
      const args = expr.args.map((a) => typeOf(a, schema));
      if (expr.filter) requireBoolean(expr.filter, typeOf(expr.filter, schema), 'an aggregate FILTER');
      if (args.length > 0 && expr.args.some((a) => a.kind === 'agg')) {
        throw new AnalysisError(`aggregate ${exprText(expr)} cannot contain another aggregate`);
      }
      const type = aggregateFunctionType(expr.fn, args.map((a) => a.type));
      return { type, nullable: !expr.fn.toLowerCase().startsWith('count') };
    }
    case 'window': {
      const args = expr.args.map((a) => typeOf(a, schema));
      expr.spec.partitionBy.forEach((p) => typeOf(p, schema));
      expr.spec.orderBy.forEach((k) => typeOf(k.expr, schema));
      const type = windowFunctionType(expr.fn, args.map((a) => a.type));
      const fn = expr.fn.toLowerCase();
      return { type, nullable: !['row_number', 'rank', 'dense_rank', 'ntile', 'count', 'percent_rank', 'cume_dist'].includes(fn) };
    }
  }
}

/** The output field of a projected expression (name from its alias, its column, or its text). */
export function analyzeExpr(expr: Expr, schema: Schema): Field {
  const typed = typeOf(expr, schema);
  if (expr.kind === 'column') return resolveColumn(schema, expr);
  return { name: defaultName(expr), type: typed.type, nullable: typed.nullable };
}
