/** Finding columns in a schema by name, with the errors users see when a name does not resolve. */
import { AnalysisError } from './errors.js';
import type { Expr, Field, Schema } from './types.js';

export interface ColumnRef {
  name: string;
  qualifier?: string;
}

function displayField(field: Field, qualified: boolean): string {
  return qualified && field.qualifier ? `${field.qualifier}.${field.name}` : field.name;
}

export function describeAvailable(schema: Schema): string {
  if (schema.fields.length === 0) return '(no columns)';
  const qualified = new Set(schema.fields.map((f) => f.name.toLowerCase())).size !== schema.fields.length;
  return schema.fields.map((f) => displayField(f, qualified)).join(', ');
}

function matches(field: Field, ref: ColumnRef): boolean {
  if (field.name.toLowerCase() !== ref.name.toLowerCase()) return false;
  return ref.qualifier === undefined || field.qualifier?.toLowerCase() === ref.qualifier.toLowerCase();
}

/**
 * Index of the column `ref` names. Names are case-insensitive, as in DuckDB and Spark. A dotted
 * name (`"l.price"`) that is not itself a column is read as qualifier and name.
 */
export function tryResolveColumn(schema: Schema, ref: ColumnRef): number | AnalysisError {
  let hits = schema.fields.flatMap((f, i) => (matches(f, ref) ? [i] : []));
  if (hits.length === 0 && ref.qualifier === undefined && ref.name.includes('.')) {
    const dot = ref.name.lastIndexOf('.');
    const dotted = { qualifier: ref.name.slice(0, dot), name: ref.name.slice(dot + 1) };
    hits = schema.fields.flatMap((f, i) => (matches(f, dotted) ? [i] : []));
  }
  const shown = ref.qualifier ? `${ref.qualifier}.${ref.name}` : ref.name;
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) return new AnalysisError(`column '${shown}' not found; available: ${describeAvailable(schema)}`);
  const exact = hits.filter((i) => schema.fields[i]!.name === ref.name);
  if (exact.length === 1 && ref.qualifier !== undefined) return exact[0]!;
  const candidates = hits.map((i) => displayField(schema.fields[i]!, true)).join(', ');
  return new AnalysisError(`column '${shown}' is ambiguous: it could be ${candidates}; qualify it (e.g. df.col('${ref.name}') on the DataFrame it comes from, or alias the DataFrames)`);
}

export function resolveColumn(schema: Schema, ref: ColumnRef): Field {
  const found = tryResolveColumn(schema, ref);
  if (found instanceof AnalysisError) throw found;
  return schema.fields[found]!;
}

export function fieldNames(schema: Schema): string[] {
  return schema.fields.map((f) => f.name);
}

/** A copy of the schema whose columns can all be qualified by `qualifier`. */
export function qualifySchema(schema: Schema, qualifier: string): Schema {
  return { fields: schema.fields.map((f) => ({ ...f, qualifier })) };
}

export function schemasEqual(a: Schema, b: Schema): boolean {
  return a.fields.length === b.fields.length && a.fields.every((f, i) => f.name === b.fields[i]!.name && f.type === b.fields[i]!.type);
}

/** A column expression naming `field` as its schema does (qualified when it has a qualifier). */
export function columnExpr(field: Field): Extract<Expr, { kind: 'column' }> {
  return field.qualifier ? { kind: 'column', name: field.name, qualifier: field.qualifier } : { kind: 'column', name: field.name };
}
