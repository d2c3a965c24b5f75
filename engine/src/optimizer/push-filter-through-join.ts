/**
 * Moves conjuncts that read only one input of a join below the join: from a filter above it and
 * from its own ON condition, wherever that keeps the join's meaning (never into the side an outer
 * join preserves).
 */
import { filterNode, joinNode } from '../plan/rebuild.js';
import { conjunction, splitConjunction, transformPlan } from '../plan/expr-walk.js';
import type { Expr, JoinType, LogicalPlan } from '../plan/types.js';
import type { Rule } from './rule.js';
import { sideOf, type Side } from './side-of.js';

type Join = Extract<LogicalPlan, { op: 'join' }>;

/** Sides a WHERE conjunct above the join may move into (and so any per-row predicate, as semi joins are). */
export const WHERE_TARGETS: Record<JoinType, Side[]> = {
  inner: ['left', 'right'], cross: ['left', 'right'], left: ['left'], right: ['right'], semi: ['left'], anti: ['left'], full: [],
};
/** Sides an ON conjunct may move into. */
const ON_TARGETS: Record<JoinType, Side[]> = {
  inner: ['left', 'right'], cross: [], left: ['right'], right: ['left'], semi: ['left', 'right'], anti: ['right'], full: [],
};

function partition(conjuncts: Expr[], join: Join, targets: Side[]) {
  const toLeft: Expr[] = [];
  const toRight: Expr[] = [];
  const kept: Expr[] = [];
  for (const c of conjuncts) {
    const side = sideOf(c, join.left, join.right);
    if (side === 'left' && targets.includes('left')) toLeft.push(c);
    else if (side === 'right' && targets.includes('right')) toRight.push(c);
    else kept.push(c);
  }
  return { toLeft, toRight, kept };
}

function withFilter(plan: LogicalPlan, conjuncts: Expr[]): LogicalPlan {
  const predicate = conjunction(conjuncts);
  return predicate ? filterNode(plan, predicate) : plan;
}

function pushOn(join: Join): LogicalPlan {
  if (!join.condition) return join;
  const { toLeft, toRight, kept } = partition(splitConjunction(join.condition), join, ON_TARGETS[join.type]);
  if (toLeft.length + toRight.length === 0) return join;
  const condition = conjunction(kept);
  // An inner join left without a condition is a cross join; other joins keep a condition.
  if (!condition && join.type !== 'inner') return join;
  const type: JoinType = condition ? join.type : 'cross';
  return joinNode(withFilter(join.left, toLeft), withFilter(join.right, toRight), type, condition);
}

function pushWhere(filter: Extract<LogicalPlan, { op: 'filter' }>, join: Join): LogicalPlan {
  const { toLeft, toRight, kept } = partition(splitConjunction(filter.predicate), join, WHERE_TARGETS[join.type]);
  if (toLeft.length + toRight.length === 0) return filter;
  const moved = joinNode(withFilter(join.left, toLeft), withFilter(join.right, toRight), join.type, join.condition);
  return withFilter(moved, kept);
}

export const pushFilterThroughJoin: Rule = {
  name: 'PushFilterThroughJoin',
  apply: (plan) =>
    transformPlan(plan, (node) => {
      if (node.op === 'join') return pushOn(node);
      if (node.op === 'filter' && node.input.op === 'join') return pushWhere(node, node.input);
      return node;
    }),
};
