/**
 * The share of a relation's rows its filters keep, guessed from the predicates alone with the
 * textbook defaults (System R's: an equality keeps 1/10, a range 1/3), since the optimizer has no
 * column statistics. Good enough to tell "the parts of one brand and container" (1/100) from "the
 * customers of seven of the 25 country codes" (7/10), which is all the rules that ask need.
 */
import { splitConjunction } from './expr-walk.js';
import type { Expr, LogicalPlan } from './types.js';

const EQUALITY = 0.1;
const RANGE = 1 / 3;
const UNKNOWN = 0.5;

/**
 * `known` gives the share of nodes whose filters are out of sight (a physical plan's placeholders
 * for inputs filtered in an earlier stage); other leaves keep everything.
 */
export function selectivity(plan: LogicalPlan, known?: (node: LogicalPlan) => number | undefined): number {
  const share = known?.(plan);
  if (share !== undefined) return share;
  const of = (input: LogicalPlan) => selectivity(input, known);
  switch (plan.op) {
    case 'scan':
      return plan.filters.reduce((kept, f) => kept * predicateSelectivity(f), 1);
    case 'filter':
      return predicateSelectivity(plan.predicate) * of(plan.input);
    case 'join':
      // Keys of either side are narrowed by the other side's filters through the join (independence
      // assumed); a semi join keeps only matched rows even of an unfiltered other side.
      if (plan.type === 'semi') return of(plan.left) * Math.min(UNKNOWN, of(plan.right));
      return plan.type === 'inner' || plan.type === 'cross' ? of(plan.left) * of(plan.right) : of(plan.left);
    case 'values':
    case 'range':
    case 'opaque':
    case 'union':
      return 1;
    case 'limit':
      return UNKNOWN * of(plan.input);
    default:
      return of(plan.input);
  }
}

export function predicateSelectivity(predicate: Expr): number {
  const conjuncts = splitConjunction(predicate);
  if (conjuncts.length > 1) return conjuncts.reduce((kept, c) => kept * predicateSelectivity(c), 1);
  if (predicate.kind === 'literal') return predicate.value === true ? 1 : predicate.value === false || predicate.value === null ? 0 : UNKNOWN;
  if (predicate.kind !== 'call') return UNKNOWN;
  const args = predicate.args;
  switch (predicate.fn.toLowerCase()) {
    case 'or': {
      const [a, b] = args.map(predicateSelectivity) as [number, number];
      return Math.min(1, a + b - a * b);
    }
    case 'not':
      return 1 - predicateSelectivity(args[0]!);
    case '=':
      return args.every((a) => a.kind === 'column') ? RANGE : EQUALITY;
    case '<>':
    case '!=':
      return 1 - EQUALITY;
    case '<':
    case '<=':
    case '>':
    case '>=':
      return RANGE;
    case 'in':
      // The first argument is the value tested, the rest the list.
      return Math.min(1, (args.length - 1) * EQUALITY);
    case 'not in':
      return Math.max(0, 1 - (args.length - 1) * EQUALITY);
    case 'between':
      return RANGE * RANGE;
    case 'not between':
      return 1 - RANGE * RANGE;
    case 'like':
      return likeSelectivity(args[1]);
    case 'not like':
      return 1 - likeSelectivity(args[1]);
    case 'is null':
      return EQUALITY;
    case 'is not null':
      return 1 - EQUALITY;
    default:
      return UNKNOWN;
  }
}

/** A pattern with a fixed prefix narrows like an equality; one that only contains something, less. */
function likeSelectivity(pattern: Expr | undefined): number {
  if (pattern?.kind !== 'literal' || typeof pattern.value !== 'string') return UNKNOWN;
  return /^[^%_]/.test(pattern.value) ? EQUALITY : UNKNOWN;
}
