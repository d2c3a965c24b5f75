/**
 * Terse constructors for logical plans in tests. Schemas are computed the simple way analysis would
 * (names of columns/aliases); tests pass explicit schemas where that is not enough.
 */
import type { Expr, Field, FileSource, JoinType, LogicalPlan, Schema, SortKey } from './types.js';

export const col = (name: string, qualifier?: string): Expr => ({ kind: 'column', name, qualifier });
export const lit = (value: string | number | boolean | null, type: string): Expr => ({ kind: 'literal', value, type });
export const call = (fn: string, ...args: Expr[]): Expr => ({ kind: 'call', fn, args });
export const agg = (fn: string, args: Expr[], options: { distinct?: boolean; filter?: Expr } = {}): Expr => ({
  kind: 'agg', fn, args, distinct: options.distinct ?? false, filter: options.filter,
});
export const as = (expr: Expr, name: string): Expr => ({ kind: 'alias', expr, name });
export const asc = (expr: Expr, nullsFirst = false): SortKey => ({ expr, ascending: true, nullsFirst });
export const desc = (expr: Expr, nullsFirst = false): SortKey => ({ expr, ascending: false, nullsFirst });

export const field = (name: string, type: string, qualifier?: string): Field => ({ name, type, nullable: true, qualifier });
export const schema = (...fields: Field[]): Schema => ({ fields });

function outputName(e: Expr, index: number): string {
  if (e.kind === 'alias') return e.name;
  if (e.kind === 'column') return e.name;
  return `_c${index}`;
}

/** Output fields of `exprs` over `input`: columns keep their input field, others are typed `type`. */
export function fieldsOf(exprs: Expr[], input: Schema, type = 'BIGINT'): Field[] {
  return exprs.map((e, i) => {
    const inner = e.kind === 'alias' ? e.expr : e;
    if (inner.kind === 'column') {
      const found = input.fields.find((f) => f.name === inner.name && (!inner.qualifier || f.qualifier === inner.qualifier));
      if (found) return { ...found, name: outputName(e, i) };
    }
    return field(outputName(e, i), type);
  });
}

export function scan(source: FileSource, s: Schema, options: { projection?: string[]; filters?: Expr[] } = {}): LogicalPlan {
  const fields = options.projection ? options.projection.map((n) => s.fields.find((f) => f.name === n)!) : s.fields;
  return { op: 'scan', source, schema: options.projection ? { fields } : s, projection: options.projection, filters: options.filters ?? [] };
}

export function parquetSource(files: { path: string; size?: number; partitionValues?: Record<string, string> }[], partitionColumns: Field[] = []): FileSource {
  return {
    format: 'parquet',
    paths: files.map((f) => f.path),
    files: files.map((f) => ({ path: f.path, size: f.size ?? 1000, partitionValues: f.partitionValues ?? {} })),
    partitionColumns,
  };
}

export const project = (input: LogicalPlan, exprs: Expr[], type?: string): LogicalPlan => ({
  op: 'project', input, exprs, schema: { fields: fieldsOf(exprs, input.schema, type) },
});
export const filter = (input: LogicalPlan, predicate: Expr): LogicalPlan => ({ op: 'filter', input, predicate, schema: input.schema });
/** DuckDB's result type of simple aggregates over a column, as analysis would compute it. */
function aggType(e: Expr, input: Schema): string {
  const inner = e.kind === 'alias' ? e.expr : e;
  if (inner.kind !== 'agg') return 'HUGEINT';
  const fn = inner.fn.toLowerCase();
  if (fn === 'count') return 'BIGINT';
  if (fn === 'avg') return 'DOUBLE';
  const arg = inner.args[0];
  const argType = arg?.kind === 'column' ? input.fields.find((f) => f.name === arg.name)?.type ?? 'DOUBLE' : 'DOUBLE';
  if (fn === 'sum') {
    if (/INT/.test(argType)) return 'HUGEINT';
    const decimal = /^DECIMAL\(\d+,\s*(\d+)\)$/.exec(argType);
    return decimal ? `DECIMAL(38,${decimal[1]})` : 'DOUBLE';
  }
  return argType;
}

export const aggregate = (input: LogicalPlan, groupBy: Expr[], aggs: Expr[]): LogicalPlan => ({
  op: 'aggregate', input, groupBy, aggs,
  schema: { fields: [...fieldsOf(groupBy, input.schema), ...aggs.map((a, i) => ({ ...fieldsOf([a], input.schema)[0]!, name: a.kind === 'alias' ? a.name : `_c${groupBy.length + i}`, type: aggType(a, input.schema) }))] },
});
export function join(left: LogicalPlan, right: LogicalPlan, type: JoinType, condition?: Expr): LogicalPlan {
  const fields = type === 'semi' || type === 'anti' ? left.schema.fields : [...left.schema.fields, ...right.schema.fields];
  return { op: 'join', left, right, type, condition, schema: { fields } };
}
export const sort = (input: LogicalPlan, keys: SortKey[]): LogicalPlan => ({ op: 'sort', input, keys, schema: input.schema });
export const limit = (input: LogicalPlan, n: number, offset = 0): LogicalPlan => ({ op: 'limit', input, limit: n, offset, schema: input.schema });
export const distinct = (input: LogicalPlan): LogicalPlan => ({ op: 'distinct', input, schema: input.schema });
export const union = (inputs: LogicalPlan[], all = true, byName = false): LogicalPlan => ({ op: 'union', inputs, all, byName, schema: inputs[0]!.schema });
export const alias = (input: LogicalPlan, name: string): LogicalPlan => ({
  op: 'alias', input, alias: name, schema: { fields: input.schema.fields.map((f) => ({ ...f, qualifier: name })) },
});
export const range = (start: number, end: number, step = 1, numPartitions?: number): LogicalPlan => ({
  op: 'range', start, end, step, numPartitions, schema: schema(field('id', 'BIGINT')),
});
export const repartition = (input: LogicalPlan, numPartitions: number, keys: Expr[] = []): LogicalPlan => ({
  op: 'repartition', input, numPartitions, keys, schema: input.schema,
});
export const windowed = (input: LogicalPlan, windows: Expr[], type = 'BIGINT'): LogicalPlan => ({
  op: 'window', input, windows, schema: { fields: [...input.schema.fields, ...fieldsOf(windows, input.schema, type)] },
});
