/** Small helpers for building DuckDB SQL text safely. */
import type { Schema } from '../plan/types.js';

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

export function stringList(items: string[]): string {
  return `[${items.map(quoteString).join(', ')}]`;
}

/** A relation with the schema's columns and no rows, for inputs whose upstream produced no files. */
export function emptyRelationSql(schema: Schema): string {
  if (schema.fields.length === 0) throw new Error('cannot build an empty relation for a schema with no fields');
  const columns = schema.fields.map((f) => `CAST(NULL AS ${f.type}) AS ${quoteIdent(f.name)}`);
  return `SELECT ${columns.join(', ')} WHERE false`;
}
