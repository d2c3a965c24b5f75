/**
 * Structural node construction for plan rewrites. Optimizer rules move and narrow nodes whose
 * expressions were already analyzed (by the DataFrame API or the SQL front end, whose types come
 * from DuckDB and may use functions the analyzer does not model), so they never re-type
 * expressions: pass-through schemas are taken from the new inputs and computed columns keep the
 * types they were given.
 */
import { withPlanChildren } from './expr-walk.js';
import { tryResolveColumn } from './schema.js';
import type { Expr, Field, JoinType, LogicalPlan, Schema } from './types.js';

export function filterNode(input: LogicalPlan, predicate: Expr): LogicalPlan {
  return { op: 'filter', input, predicate, schema: input.schema };
}

export function joinSchema(left: LogicalPlan, right: LogicalPlan, type: JoinType): Schema {
  if (type === 'semi' || type === 'anti') return left.schema;
  const nullable = (fields: Field[], yes: boolean) => (yes ? fields.map((f) => ({ ...f, nullable: true })) : fields);
  return { fields: [...nullable(left.schema.fields, type === 'right' || type === 'full'), ...nullable(right.schema.fields, type === 'left' || type === 'full')] };
}

export function joinNode(left: LogicalPlan, right: LogicalPlan, type: JoinType, condition?: Expr): LogicalPlan {
  return { op: 'join', left, right, type, ...(condition ? { condition } : {}), schema: joinSchema(left, right, type) };
}

/** The input field a bare column expression passes through (its output keeps name, type and qualifier). */
function passedThrough(e: Expr, input: Schema, computed?: Field): Field {
  if (e.kind !== 'column') {
    if (!computed) throw new Error(`internal: no output field for computed expression ${e.kind}`);
    return computed;
  }
  const index = tryResolveColumn(input, e);
  if (typeof index !== 'number') throw new Error(`internal: rewritten plan lost column ${e.qualifier ? `${e.qualifier}.` : ''}${e.name}: ${index.toError().message}`);
  return input.fields[index]!;
}

/** A projection of some of `node`'s expressions (by index) over a new input. */
export function projectSubset(node: Extract<LogicalPlan, { op: 'project' }>, input: LogicalPlan, keep: number[]): LogicalPlan {
  const exprs = keep.map((i) => node.exprs[i]!);
  return { op: 'project', input, exprs, schema: { fields: keep.map((i) => passedThrough(node.exprs[i]!, input.schema, node.schema.fields[i]!)) } };
}

/** A projection of plain columns of `input` (used to restore a column order). */
export function projectColumns(input: LogicalPlan, columns: Expr[]): LogicalPlan {
  return { op: 'project', input, exprs: columns, schema: { fields: columns.map((c) => passedThrough(c, input.schema)) } };
}

/** The same node over new inputs, its schema re-derived structurally. */
export function rebuildNode(node: LogicalPlan, children: LogicalPlan[]): LogicalPlan {
  const n = withPlanChildren(node, children);
  switch (n.op) {
    case 'scan':
    case 'values':
    case 'range':
    case 'opaque':
    case 'union':
      return n;
    case 'filter':
    case 'sort':
    case 'limit':
    case 'distinct':
    case 'repartition':
      return { ...n, schema: n.input.schema };
    case 'alias':
      return { ...n, schema: { fields: n.input.schema.fields.map((f) => ({ ...f, qualifier: n.alias })) } };
    case 'join':
      return { ...n, schema: joinSchema(n.left, n.right, n.type) };
    case 'project':
      return projectSubset(n, n.input, n.exprs.map((_, i) => i));
    case 'aggregate': {
      const keys = n.groupBy.map((k, i) => passedThrough(k, n.input.schema, n.schema.fields[i]!));
      return { ...n, schema: { fields: [...keys, ...n.schema.fields.slice(n.groupBy.length)] } };
    }
    case 'window':
      return { ...n, schema: { fields: [...n.input.schema.fields, ...n.schema.fields.slice(n.schema.fields.length - n.windows.length)] } };
  }
}
