/**
 * Constructors for analyzed plan nodes: each checks its expressions against the input schema and
 * derives the output schema, so an invalid plan cannot be built. The DataFrame API and the SQL
 * front end both build through these.
 */
import { AnalysisError } from './errors.js';
import { analyzeExpr, typeOf } from './analyze-expr.js';
import { defaultName, exprText } from './expr-text.js';
import { containsAggregate, containsWindow, someExpr } from './expr-walk.js';
import { describeAvailable, resolveColumn, tryResolveColumn } from './schema.js';
import { categoryOf, commonType } from './type-rules.js';
import type { Expr, Field, JoinType, LogicalPlan, Schema, SortKey } from './types.js';

/** Gives a computed expression its output name, so plans never depend on DuckDB's naming. */
export function named(expr: Expr): Expr {
  if (expr.kind === 'column' || expr.kind === 'alias' || expr.kind === 'star') return expr;
  return { kind: 'alias', expr, name: defaultName(expr) };
}

function expandStars(exprs: Expr[], schema: Schema): Expr[] {
  return exprs.flatMap((e) => {
    if (e.kind !== 'star') return [e];
    const fields = schema.fields.filter((f) => !e.qualifier || f.qualifier?.toLowerCase() === e.qualifier.toLowerCase());
    if (fields.length === 0) throw new AnalysisError(`'${e.qualifier}.*' matches no columns; available: ${describeAvailable(schema)}`);
    return fields.map((f): Expr => (f.qualifier ? { kind: 'column', name: f.name, qualifier: f.qualifier } : { kind: 'column', name: f.name }));
  });
}

function forbid(expr: Expr, what: 'aggregate' | 'window', where: string): void {
  const found = what === 'aggregate' ? containsAggregate(expr) : containsWindow(expr);
  if (found) throw new AnalysisError(`${where} cannot contain ${what === 'aggregate' ? 'an aggregate' : 'a window function'}: ${exprText(expr)}`);
}

export function projectPlan(input: LogicalPlan, exprs: Expr[]): LogicalPlan {
  const expanded = expandStars(exprs, input.schema).map(named);
  if (expanded.length === 0) throw new AnalysisError('select() needs at least one column');
  for (const e of expanded) {
    forbid(e, 'aggregate', 'a projection (use groupBy().agg() or agg())');
    forbid(e, 'window', 'a projection (window functions are planned as a window node)');
  }
  const fields = expanded.map((e) => analyzeExpr(e, input.schema));
  return { op: 'project', input, exprs: expanded, schema: { fields } };
}

export function filterPlan(input: LogicalPlan, predicate: Expr): LogicalPlan {
  forbid(predicate, 'aggregate', 'a filter (filter after the aggregation instead)');
  forbid(predicate, 'window', 'a filter (compute the window column first, then filter on it)');
  const { type } = typeOf(predicate, input.schema);
  if (categoryOf(type) !== 'boolean' && categoryOf(type) !== 'null') {
    throw new AnalysisError(`type mismatch: a filter condition must be BOOLEAN, but ${exprText(predicate)} is ${type}`);
  }
  return { op: 'filter', input, predicate, schema: input.schema };
}

/** Checks that outside of aggregate calls an aggregation only reads grouping columns. */
function checkGrouped(expr: Expr, groupFields: Set<number>, schema: Schema): void {
  const visit = (e: Expr): void => {
    if (e.kind === 'agg') return;
    if (e.kind === 'column') {
      const index = tryResolveColumn(schema, e);
      if (typeof index === 'number' && !groupFields.has(index)) {
        throw new AnalysisError(`column '${exprText(e)}' must be in groupBy() or used inside an aggregate function in ${exprText(expr)}`);
      }
    }
    if (e.kind === 'call' || e.kind === 'cast' || e.kind === 'alias' || e.kind === 'case') {
      if (e.kind === 'call') e.args.forEach(visit);
      else if (e.kind === 'case') e.branches.forEach((b) => (visit(b.when), visit(b.then))), e.otherwise && visit(e.otherwise);
      else visit(e.expr);
    }
  };
  visit(expr);
}

export function aggregatePlan(input: LogicalPlan, groupBy: Expr[], aggs: Expr[]): LogicalPlan {
  const keys = expandStars(groupBy, input.schema).map(named);
  keys.forEach((k) => (forbid(k, 'aggregate', 'a grouping key'), forbid(k, 'window', 'a grouping key')));
  const namedAggs = aggs.map(named);
  namedAggs.forEach((a) => forbid(a, 'window', 'an aggregation (apply the window after aggregating)'));
  const keyFields = keys.map((k) => analyzeExpr(k, input.schema));
  const groupIndexes = new Set(keys.flatMap((k) => (k.kind === 'column' ? [tryResolveColumn(input.schema, k)] : [])).filter((i): i is number => typeof i === 'number'));
  const aggFields = namedAggs.map((a) => {
    const field = analyzeExpr(a, input.schema);
    checkGrouped(a, groupIndexes, input.schema);
    return field;
  });
  return { op: 'aggregate', input, groupBy: keys, aggs: namedAggs, schema: { fields: [...keyFields, ...aggFields] } };
}

function outerNullable(fields: Field[], nullable: boolean): Field[] {
  return nullable ? fields.map((f) => ({ ...f, nullable: true })) : fields;
}

export function joinPlan(left: LogicalPlan, right: LogicalPlan, type: JoinType, condition?: Expr): LogicalPlan {
  const leftFields = outerNullable(left.schema.fields, type === 'right' || type === 'full');
  const rightFields = outerNullable(right.schema.fields, type === 'left' || type === 'full');
  const combined: Schema = { fields: [...leftFields, ...rightFields] };
  if (type === 'cross' && condition) throw new AnalysisError('a cross join takes no condition; use an inner join');
  if (type !== 'cross' && !condition) throw new AnalysisError(`${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} join needs a condition (or use a cross join)`);
  if (condition) {
    forbid(condition, 'aggregate', 'a join condition');
    forbid(condition, 'window', 'a join condition');
    const { type: condType } = typeOf(condition, combined);
    if (categoryOf(condType) !== 'boolean') throw new AnalysisError(`type mismatch: a join condition must be BOOLEAN, but ${exprText(condition)} is ${condType}`);
  }
  const schema = type === 'semi' || type === 'anti' ? left.schema : combined;
  return { op: 'join', left, right, type, ...(condition ? { condition } : {}), schema };
}

export function sortPlan(input: LogicalPlan, keys: SortKey[]): LogicalPlan {
  if (keys.length === 0) throw new AnalysisError('orderBy() needs at least one column');
  keys.forEach((k) => (forbid(k.expr, 'aggregate', 'a sort key'), typeOf(k.expr, input.schema)));
  return { op: 'sort', input, keys, schema: input.schema };
}

export function limitPlan(input: LogicalPlan, limit: number, offset = 0): LogicalPlan {
  if (!Number.isInteger(limit) || limit < 0) throw new AnalysisError(`limit must be a non-negative integer, got ${limit}`);
  if (!Number.isInteger(offset) || offset < 0) throw new AnalysisError(`offset must be a non-negative integer, got ${offset}`);
  return { op: 'limit', input, limit, offset, schema: input.schema };
}

export function distinctPlan(input: LogicalPlan): LogicalPlan {
  return { op: 'distinct', input, schema: input.schema };
}

export function unionPlan(inputs: LogicalPlan[], options: { all: boolean; byName: boolean }): LogicalPlan {
  const first = inputs[0];
  if (!first || inputs.length < 2) throw new AnalysisError('a union needs at least two inputs');
  let aligned = inputs;
  if (options.byName) {
    aligned = inputs.map((p, i) => {
      if (i === 0) return p;
      if (p.schema.fields.length !== first.schema.fields.length) {
        throw new AnalysisError(`unionByName: input ${i + 1} has columns ${describeAvailable(p.schema)} but the first has ${describeAvailable(first.schema)}`);
      }
      return projectPlan(p, first.schema.fields.map((f): Expr => ({ kind: 'column', name: resolveColumn(p.schema, { name: f.name }).name })));
    });
  }
  const fields = first.schema.fields.map((f, c) => {
    const types = aligned.map((p, i) => {
      const field = p.schema.fields[c];
      if (!field || p.schema.fields.length !== first.schema.fields.length) {
        throw new AnalysisError(`union: input ${i + 1} has ${p.schema.fields.length} columns but the first has ${first.schema.fields.length}`);
      }
      return field.type;
    });
    const type = commonType(types);
    if (!type) throw new AnalysisError(`type mismatch: union column '${f.name}' has types ${types.join(', ')} that do not fit together`);
    return { name: f.name, type, nullable: aligned.some((p) => p.schema.fields[c]!.nullable) };
  });
  return { op: 'union', inputs: aligned, all: options.all, byName: false, schema: { fields } };
}

export function repartitionPlan(input: LogicalPlan, numPartitions: number, keys: Expr[]): LogicalPlan {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) throw new AnalysisError(`repartition needs a positive number of partitions, got ${numPartitions}`);
  keys.forEach((k) => typeOf(k, input.schema));
  return { op: 'repartition', input, numPartitions, keys, schema: input.schema };
}

/** Appends window-function columns; each expression must be a named window call. */
export function windowPlan(input: LogicalPlan, windows: Expr[]): LogicalPlan {
  const fields = windows.map((w) => {
    if (w.kind !== 'alias' || w.expr.kind !== 'window') throw new AnalysisError(`a window node takes aliased window calls, got ${exprText(w)}`);
    if (someExpr(w.expr, (e) => e.kind === 'agg')) throw new AnalysisError(`a window call cannot contain an aggregate: ${exprText(w)}`);
    return analyzeExpr(w, input.schema);
  });
  return { op: 'window', input, windows, schema: { fields: [...input.schema.fields, ...fields] } };
}

export function aliasPlan(input: LogicalPlan, alias: string): LogicalPlan {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(alias)) throw new AnalysisError(`alias '${alias}' must be a plain identifier`);
  return { op: 'alias', input, alias, schema: { fields: input.schema.fields.map((f) => ({ ...f, qualifier: alias })) } };
}
