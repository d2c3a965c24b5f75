/**
 * GROUP BY and aggregates: one aggregate node computing the grouping keys and every distinct
 * aggregate call, after which the SELECT list, HAVING and ORDER BY refer to its output columns.
 */
import type { Expr, Field, LogicalPlan } from '../plan/types.js';
import type { Translation } from './context.js';
import { SqlError, UntranslatableSql } from './errors.js';
import { exprText } from '../plan/expr-text.js';
import { mapChildren } from './select.js';
import type { PendingJoin } from './subquery.js';
import { typeExprLists } from './types-from-duckdb.js';

export interface PostAggregation {
  items: Expr[];
  having: Expr | undefined;
  qualify: Expr | undefined;
  hidden: Expr[];
}

const key = (e: Expr) => JSON.stringify(e);

export async function aggregateStep(
  t: Translation, input: LogicalPlan, groupExprs: Expr[], post: PostAggregation, lateJoins: PendingJoin[],
): Promise<{ plan: LogicalPlan; rewritten: PostAggregation }> {
  if (lateJoins.some((j) => !(j.condition.kind === 'literal' && j.condition.value === true))) {
    throw new UntranslatableSql('correlated scalar subquery in an aggregating query');
  }
  const keys: Expr[] = [];
  for (const g of groupExprs) if (!keys.some((k) => key(k) === key(g))) keys.push(g);
  const keyNames = new Map<string, string>();
  const usedNames = new Set<string>();
  keys.forEach((k, i) => {
    const natural = k.kind === 'column' && !usedNames.has(k.name.toLowerCase()) ? k.name : `__group${i}`;
    usedNames.add(natural.toLowerCase());
    keyNames.set(key(k), natural);
  });

  const aggs: Expr[] = [];
  const aggNames = new Map<string, string>();
  const collect = (e: Expr): void => {
    if (e.kind === 'agg') {
      if (!aggNames.has(key(e))) {
        aggNames.set(key(e), `__agg${aggs.length}`);
        aggs.push(e);
      }
      return;
    }
    if (keyNames.has(key(e))) return;
    mapChildren(e, (c) => {
      collect(c);
      return c;
    });
  };
  [...post.items, ...(post.having ? [post.having] : []), ...(post.qualify ? [post.qualify] : []), ...post.hidden].forEach(collect);

  const sqQualifiers = new Set(lateJoins.map((j) => (j.right.op === 'alias' ? j.right.alias : '')));
  const rewrite = (e: Expr): Expr => {
    const k = key(e);
    if (keyNames.has(k)) return { kind: 'column', name: keyNames.get(k)! };
    if (aggNames.has(k)) return { kind: 'column', name: aggNames.get(k)! };
    if (e.kind === 'column' && !(e.qualifier && sqQualifiers.has(e.qualifier))) {
      throw new SqlError(`column "${e.qualifier ? `${e.qualifier}.` : ''}${e.name}" must appear in the GROUP BY clause or be used in an aggregate function`);
    }
    if (e.kind === 'sql' && e.refs.length > 0) {
      throw new SqlError(`expression ${e.text} must appear in the GROUP BY clause or be used in an aggregate function`);
    }
    return mapChildren(e, rewrite);
  };
  const rewritten: PostAggregation = {
    items: post.items.map(rewrite),
    having: post.having ? rewrite(post.having) : undefined,
    qualify: post.qualify ? rewrite(post.qualify) : undefined,
    hidden: post.hidden.map(rewrite),
  };

  const [keyTypes, aggTypes] = (await typeExprLists(t.sql.connection, input.schema, [keys, aggs])) as [string[], string[]];
  const fields: Field[] = [
    ...keys.map((k, i) => ({ name: keyNames.get(key(k))!, type: keyTypes[i]!, nullable: true })),
    ...aggs.map((a, i) => ({ name: aggNames.get(key(a))!, type: aggTypes[i]!, nullable: true })),
  ];
  const groupBy: Expr[] = keys.map((k) => {
    const name = keyNames.get(key(k))!;
    return k.kind === 'column' && k.name === name ? k : { kind: 'alias', expr: k, name };
  });
  const aggExprs: Expr[] = aggs.map((a) => ({ kind: 'alias', expr: a, name: aggNames.get(key(a))! }));
  if (groupBy.length === 0 && aggExprs.length === 0) throw new SqlError(`nothing to aggregate: ${keys.map(exprText).join(', ')}`);
  return { plan: { op: 'aggregate', input, groupBy, aggs: aggExprs, schema: { fields } }, rewritten };
}
