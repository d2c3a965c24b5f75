/** Generic traversal of expressions and plans, so rewrites do not each re-implement recursion. */
import type { Expr, LogicalPlan } from './types.js';

/** The direct sub-expressions of `expr`, in a stable order. */
export function exprChildren(expr: Expr): Expr[] {
  switch (expr.kind) {
    case 'column':
    case 'literal':
    case 'star':
    case 'sql':
      return [];
    case 'call':
    case 'agg':
      return expr.kind === 'agg' && expr.filter ? [...expr.args, expr.filter] : expr.args;
    case 'cast':
    case 'alias':
      return [expr.expr];
    case 'case':
      return [...expr.branches.flatMap((b) => [b.when, b.then]), ...(expr.otherwise ? [expr.otherwise] : [])];
    case 'window':
      return [...expr.args, ...expr.spec.partitionBy, ...expr.spec.orderBy.map((k) => k.expr)];
  }
}

/** Rebuilds `expr` bottom-up, applying `fn` to every node after its children were rewritten. */
/**
 * Rewrites bottom-up: `fn` sees each node with its children already rewritten. A node whose
 * children all came back unchanged is passed on as it is, so a rewrite that changes nothing returns
 * the very same tree (rules compare plans by identity to find their fixed point).
 */
export function transformExpr(expr: Expr, fn: (e: Expr) => Expr): Expr {
  const one = (e: Expr) => transformExpr(e, fn);
  let rebuilt: Expr = expr;
  switch (expr.kind) {
    case 'column':
    case 'literal':
    case 'star':
    case 'sql':
      break;
    case 'call': {
      const args = mapSame(expr.args, one);
      if (args !== expr.args) rebuilt = { ...expr, args };
      break;
    }
    case 'agg': {
      const args = mapSame(expr.args, one);
      const filter = expr.filter && one(expr.filter);
      if (args !== expr.args || filter !== expr.filter) rebuilt = { ...expr, args, ...(filter ? { filter } : {}) };
      break;
    }
    case 'cast':
    case 'alias': {
      const inner = one(expr.expr);
      if (inner !== expr.expr) rebuilt = { ...expr, expr: inner };
      break;
    }
    case 'case': {
      const branches = mapSame(expr.branches, (b) => {
        const when = one(b.when);
        const then = one(b.then);
        return when === b.when && then === b.then ? b : { when, then };
      });
      const otherwise = expr.otherwise && one(expr.otherwise);
      if (branches !== expr.branches || otherwise !== expr.otherwise) rebuilt = { ...expr, branches, ...(otherwise ? { otherwise } : {}) };
      break;
    }
    case 'window': {
      const args = mapSame(expr.args, one);
      const partitionBy = mapSame(expr.spec.partitionBy, one);
      const orderBy = mapSame(expr.spec.orderBy, (k) => {
        const sorted = one(k.expr);
        return sorted === k.expr ? k : { ...k, expr: sorted };
      });
      if (args !== expr.args || partitionBy !== expr.spec.partitionBy || orderBy !== expr.spec.orderBy) {
        rebuilt = { ...expr, args, spec: { ...expr.spec, partitionBy, orderBy } };
      }
      break;
    }
  }
  return fn(rebuilt);
}

/** `list` mapped by `f`, or `list` itself when `f` returned every element unchanged. */
function mapSame<T>(list: readonly T[], f: (item: T) => T): T[] {
  let out: T[] | undefined;
  list.forEach((item, i) => {
    const mapped = f(item);
    if (mapped !== item && !out) out = list.slice(0, i);
    out?.push(mapped);
  });
  return out ?? (list as T[]);
}

/** True when `predicate` holds for `expr` or any expression below it. */
export function someExpr(expr: Expr, predicate: (e: Expr) => boolean): boolean {
  return predicate(expr) || exprChildren(expr).some((c) => someExpr(c, predicate));
}

/** Every column an expression reads, including those inside SQL-text expressions. */
export function columnRefs(expr: Expr): { name: string; qualifier?: string }[] {
  const refs: { name: string; qualifier?: string }[] = [];
  someExpr(expr, (e) => {
    if (e.kind === 'column') refs.push(e.qualifier ? { name: e.name, qualifier: e.qualifier } : { name: e.name });
    if (e.kind === 'sql') refs.push(...e.refs);
    return false;
  });
  return refs;
}

export function containsAggregate(expr: Expr): boolean {
  return someExpr(expr, (e) => e.kind === 'agg');
}

export function containsWindow(expr: Expr): boolean {
  return someExpr(expr, (e) => e.kind === 'window');
}

/** True when the expression may give different answers for the same input (so it must not be moved or duplicated). */
export function isNondeterministic(expr: Expr): boolean {
  return someExpr(expr, (e) => (e.kind === 'call' && NONDETERMINISTIC.has(e.fn.toLowerCase())) || e.kind === 'sql');
}
const NONDETERMINISTIC = new Set(['random', 'uuid', 'gen_random_uuid', 'now', 'current_timestamp', 'setseed']);

/** Splits `a AND b AND c` into its conjuncts. */
export function splitConjunction(expr: Expr): Expr[] {
  if (expr.kind === 'call' && expr.fn === 'and') return expr.args.flatMap(splitConjunction);
  return [expr];
}

export function conjunction(exprs: Expr[]): Expr | undefined {
  if (exprs.length === 0) return undefined;
  return exprs.reduce((acc, e) => ({ kind: 'call', fn: 'and', args: [acc, e] }));
}

/** The inputs of a plan node. */
export function planChildren(plan: LogicalPlan): LogicalPlan[] {
  switch (plan.op) {
    case 'scan':
    case 'values':
    case 'range':
      return [];
    case 'join':
      return [plan.left, plan.right];
    case 'union':
      return plan.inputs;
    case 'opaque':
      return Object.values(plan.inputs);
    default:
      return [plan.input];
  }
}

/** The same node over new inputs (given in `planChildren` order). */
export function withPlanChildren(plan: LogicalPlan, children: LogicalPlan[]): LogicalPlan {
  switch (plan.op) {
    case 'scan':
    case 'values':
    case 'range':
      return plan;
    case 'join':
      return { ...plan, left: children[0]!, right: children[1]! };
    case 'union':
      return { ...plan, inputs: children };
    case 'opaque': {
      const names = Object.keys(plan.inputs);
      return { ...plan, inputs: Object.fromEntries(names.map((n, i) => [n, children[i]!])) };
    }
    default:
      return { ...plan, input: children[0]! };
  }
}

/** Rewrites a plan bottom-up. */
export function transformPlan(plan: LogicalPlan, fn: (p: LogicalPlan) => LogicalPlan): LogicalPlan {
  const children = planChildren(plan);
  const rewritten = children.map((c) => transformPlan(c, fn));
  const same = rewritten.every((c, i) => c === children[i]);
  return fn(same ? plan : withPlanChildren(plan, rewritten));
}
