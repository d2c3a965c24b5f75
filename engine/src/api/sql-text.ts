/**
 * SQL-text expressions (`expr("delay * 60")`, `filter("origin = 'SFO'")`). Their columns and type
 * are only known once DuckDB has parsed them against the input schema, which is asynchronous; until
 * then they are `sql` nodes marked unresolved, and the DataFrame that uses one resolves it before
 * its plan is final.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { typeOf } from '../plan/analyze-expr.js';
import { AnalysisError } from '../plan/errors.js';
import { columnRefs, someExpr, transformExpr } from '../plan/expr-walk.js';
import { renderExpr } from '../plan/render-expr.js';
import type { Expr, Schema } from '../plan/types.js';
import { exprFromSql } from '../sql/index.js';
import { typeExprs } from '../sql/types-from-duckdb.js';

const unresolved = new WeakSet<Expr>();

export function sqlTextExpr(text: string): Expr {
  if (typeof text !== 'string' || text.trim() === '') throw new AnalysisError('a SQL expression must be non-empty text');
  const node: Expr = { kind: 'sql', text, refs: [] };
  unresolved.add(node);
  return node;
}

export function hasUnresolvedSql(expr: Expr): boolean {
  return someExpr(expr, (e) => unresolved.has(e));
}

/**
 * The expression with each SQL-text piece translated over `input`. Constructs the analyzer types
 * itself stay structured (so the optimizer can push them down); others keep their text, wrapped in
 * a cast to the type DuckDB gives them so every later node knows the type.
 */
export async function resolveSqlText(expr: Expr, input: Schema, connection: DuckDBConnection): Promise<Expr> {
  const pieces = new Map<Expr, Expr>();
  const pending: Expr[] = [];
  someExpr(expr, (e) => (unresolved.has(e) && pending.push(e), false));
  for (const piece of pending) {
    if (piece.kind !== 'sql') continue;
    let translated: Expr;
    try {
      translated = await exprFromSql(piece.text, input, connection);
    } catch (error) {
      throw new AnalysisError(`in SQL expression '${piece.text}': ${error instanceof Error ? error.message : String(error)}`);
    }
    pieces.set(piece, await typedForAnalysis(piece.text, translated, input, connection));
  }
  return transformExpr(expr, (e) => pieces.get(e) ?? e);
}

async function typedForAnalysis(text: string, translated: Expr, input: Schema, connection: DuckDBConnection): Promise<Expr> {
  try {
    typeOf(translated, input);
    return translated;
  } catch (error) {
    if (!(error instanceof AnalysisError)) throw error;
    const [type] = await typeExprs(connection, input, [translated]);
    const inner = translated.kind === 'alias' ? translated.expr : translated;
    // `expr("md5(x) AS h")`: the text carries the alias, which the alias node states; the cast wraps the rest.
    const innerText = translated.kind === 'alias' ? renderExpr(inner) : text;
    const opaque: Expr = { kind: 'cast', expr: { kind: 'sql', text: innerText, refs: columnRefs(inner) }, to: type! };
    return translated.kind === 'alias' ? { kind: 'alias', expr: opaque, name: translated.name } : opaque;
  }
}
