/** Bottom-up rewriting of expressions, for swapping aggregates by their partial and final forms. */
import type { Expr } from '../plan/types.js';

/** Rebuilds `expr` with `f` applied to every node, children first; `f` returns the node to keep. */
export function mapExpr(expr: Expr, f: (e: Expr) => Expr): Expr {
  const m = (e: Expr) => mapExpr(e, f);
  switch (expr.kind) {
    case 'call':
      return f({ ...expr, args: expr.args.map(m) });
    case 'cast':
      return f({ ...expr, expr: m(expr.expr) });
    case 'case':
      return f({
        ...expr,
        branches: expr.branches.map((b) => ({ when: m(b.when), then: m(b.then) })),
        ...(expr.otherwise ? { otherwise: m(expr.otherwise) } : {}),
      });
    case 'alias':
      return f({ ...expr, expr: m(expr.expr) });
    // Aggregates and windows are rewritten as a whole by the caller, never inside.
    default:
      return f(expr);
  }
}

export function someExpr(expr: Expr, test: (e: Expr) => boolean): boolean {
  let found = false;
  mapExpr(expr, (e) => {
    if (test(e)) found = true;
    return e;
  });
  return found;
}
