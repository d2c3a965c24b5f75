/** Small analyzed plans the optimizer tests rewrite. */
import type { Expr, Field, LogicalPlan } from '../plan/types.js';

export const c = (name: string, qualifier?: string): Expr => (qualifier ? { kind: 'column', name, qualifier } : { kind: 'column', name });
export const int = (value: number): Expr => ({ kind: 'literal', value, type: 'INTEGER' });
export const str = (value: string): Expr => ({ kind: 'literal', value, type: 'VARCHAR' });
export const op = (fn: string, ...args: Expr[]): Expr => ({ kind: 'call', fn, args });
export const and = (...args: Expr[]): Expr => ({ kind: 'call', fn: 'and', args });

/** A Parquet scan with the given columns (name:type), all qualified by `qualifier` when given. */
export function scanOf(table: string, columns: string[], qualifier?: string): LogicalPlan {
  const fields: Field[] = columns.map((spec) => {
    const [name, type] = spec.split(':') as [string, string];
    return qualifier ? { name, type, nullable: true, qualifier } : { name, type, nullable: true };
  });
  return {
    op: 'scan',
    source: { format: 'parquet', paths: [`/data/${table}.parquet`], files: [{ path: `/data/${table}.parquet`, size: 1, partitionValues: {} }], partitionColumns: [] },
    schema: { fields },
    filters: [],
  };
}

/** The plan's shape as nested op names, for compact assertions. */
export function shape(plan: LogicalPlan): string {
  switch (plan.op) {
    case 'scan':
      return `scan(${plan.source.paths[0]!.replace(/^.*\/|\.parquet$/g, '')}${plan.filters.length ? ` filters=${plan.filters.length}` : ''}${plan.projection ? ` cols=${plan.projection.join(',')}` : ''})`;
    case 'join':
      return `join[${plan.type}](${shape(plan.left)}, ${shape(plan.right)})`;
    case 'union':
      return `union(${plan.inputs.map(shape).join(', ')})`;
    case 'values':
    case 'range':
    case 'opaque':
      return plan.op;
    default:
      return `${plan.op}(${shape(plan.input)})`;
  }
}
