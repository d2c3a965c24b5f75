/** Short, readable text for expressions: default column names (`sum(delay)`) and explain() output. */
import type { Expr, SortKey } from './types.js';

const INFIX = new Set(['+', '-', '*', '/', '%', '=', '!=', '<', '<=', '>', '>=', 'and', 'or', 'like', 'not like', 'ilike', '||']);

function literalText(value: string | number | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`;
  return String(value);
}

export function sortKeyText(key: SortKey): string {
  return `${exprText(key.expr)} ${key.ascending ? 'ASC' : 'DESC'} NULLS ${key.nullsFirst ? 'FIRST' : 'LAST'}`;
}

export function exprText(expr: Expr): string {
  switch (expr.kind) {
    case 'column':
      return expr.qualifier ? `${expr.qualifier}.${expr.name}` : expr.name;
    case 'literal':
      return literalText(expr.value);
    case 'star':
      return expr.qualifier ? `${expr.qualifier}.*` : '*';
    case 'sql':
      return expr.text;
    case 'alias':
      return `${exprText(expr.expr)} AS ${expr.name}`;
    case 'cast':
      return `CAST(${exprText(expr.expr)} AS ${expr.to})`;
    case 'case': {
      const branches = expr.branches.map((b) => `WHEN ${exprText(b.when)} THEN ${exprText(b.then)}`).join(' ');
      return `CASE ${branches}${expr.otherwise ? ` ELSE ${exprText(expr.otherwise)}` : ''} END`;
    }
    case 'call': {
      const [a, b, c] = expr.args;
      if (INFIX.has(expr.fn) && expr.args.length === 2) return `(${exprText(a!)} ${expr.fn.toUpperCase()} ${exprText(b!)})`;
      if (expr.fn === '-' && expr.args.length === 1) return `(- ${exprText(a!)})`;
      if (expr.fn === 'not') return `(NOT ${exprText(a!)})`;
      if (expr.fn === 'is null' || expr.fn === 'is not null') return `(${exprText(a!)} ${expr.fn.toUpperCase()})`;
      if (expr.fn === 'between') return `(${exprText(a!)} BETWEEN ${exprText(b!)} AND ${exprText(c!)})`;
      if (expr.fn === 'in' || expr.fn === 'not in') return `(${exprText(a!)} ${expr.fn.toUpperCase()} (${expr.args.slice(1).map(exprText).join(', ')}))`;
      return `${expr.fn}(${expr.args.map(exprText).join(', ')})`;
    }
    case 'agg': {
      const args = expr.args.length === 0 ? '*' : expr.args.map(exprText).join(', ');
      return `${expr.fn}(${expr.distinct ? 'DISTINCT ' : ''}${args})${expr.filter ? ` FILTER (WHERE ${exprText(expr.filter)})` : ''}`;
    }
    case 'window': {
      const parts: string[] = [];
      if (expr.spec.partitionBy.length) parts.push(`PARTITION BY ${expr.spec.partitionBy.map(exprText).join(', ')}`);
      if (expr.spec.orderBy.length) parts.push(`ORDER BY ${expr.spec.orderBy.map(sortKeyText).join(', ')}`);
      if (expr.spec.frame) parts.push(expr.spec.frame);
      return `${expr.fn}(${expr.distinct ? 'DISTINCT ' : ''}${expr.args.map(exprText).join(', ')}) OVER (${parts.join(' ')})`;
    }
  }
}

/** The column name an expression gets when the user does not alias it. */
export function defaultName(expr: Expr): string {
  if (expr.kind === 'column') return expr.name;
  if (expr.kind === 'alias') return expr.name;
  const text = exprText(expr);
  return text.startsWith('(') && text.endsWith(')') ? text.slice(1, -1) : text;
}
