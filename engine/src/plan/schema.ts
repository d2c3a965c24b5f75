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

/** Equal ignoring case; most names compared are exactly equal or differ at once, so no lower-casing for those. */
function sameName(a: string, b: string): boolean {
  return a === b || (a.length === b.length && a.toLowerCase() === b.toLowerCase());
}

function matches(field: Field, ref: ColumnRef): boolean {
  if (!sameName(field.name, ref.name)) return false;
  return ref.qualifier === undefined || (field.qualifier !== undefined && sameName(field.qualifier, ref.qualifier));
}

/**
 * Index of the column `ref` names. Names are case-insensitive, as in DuckDB and Spark. A dotted
 * name (`"l.price"`) that is not itself a column is read as qualifier and name.
 */
export function tryResolveColumn(schema: Schema, ref: ColumnRef): number | UnresolvedColumn {
  let hits = matching(schema, ref);
  if (hits.length === 0 && ref.qualifier === undefined && ref.name.includes('.')) {
    const dot = ref.name.lastIndexOf('.');
    hits = matching(schema, { qualifier: ref.name.slice(0, dot), name: ref.name.slice(dot + 1) });
  }
  const shown = ref.qualifier ? `${ref.qualifier}.${ref.name}` : ref.name;
  if (hits.length === 1) return hits[0]!;
  if (hits.length === 0) return new UnresolvedColumn(() => `column '${shown}' not found; available: ${describeAvailable(schema)}`);
  const exact = hits.filter((i) => schema.fields[i]!.name === ref.name);
  if (exact.length === 1 && ref.qualifier !== undefined) return exact[0]!;
  return new UnresolvedColumn(() => {
    const candidates = hits.map((i) => displayField(schema.fields[i]!, true)).join(', ');
    return `column '${shown}' is ambiguous: it could be ${candidates}; qualify it (e.g. df.col('${ref.name}') on the DataFrame it comes from, or alias the DataFrames)`;
  });
}

function matching(schema: Schema, ref: ColumnRef): number[] {
  const hits: number[] = [];
  schema.fields.forEach((f, i) => {
    if (matches(f, ref)) hits.push(i);
  });
  return hits;
}

/**
 * A column reference that names no column, or several. The optimizer asks which input a column
 * comes from many times per query and most answers are "not this one": the message (every
 * available column) and the error (a stack) are made only for a caller that reports it.
 */
export class UnresolvedColumn {
  constructor(private readonly message: () => string) {}

  toError(): AnalysisError {
    return new AnalysisError(this.message());
  }
}

export function resolveColumn(schema: Schema, ref: ColumnRef): Field {
  const found = tryResolveColumn(schema, ref);
  if (typeof found !== 'number') throw found.toError();
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
