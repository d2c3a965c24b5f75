import type { Field, Schema } from '../plan/types.js';
import { quoteIdent, quoteString } from '../plan/sql-quote.js';

/** Column placeholder for scans that need no columns (`count(*)`): a SELECT list cannot be empty. */
export const NO_COLUMNS_PLACEHOLDER = '__quire_row';

/**
 * The SELECT list of one scan branch: the requested data columns as read from the file, then the
 * requested partition columns as typed literals of this file's directory values.
 */
export function branchSelectList(
  requested: string[],
  schema: Schema,
  partitionValues: Record<string, string>,
): string {
  const byName = new Map<string, Field>(schema.fields.map((f) => [f.name, f]));
  for (const name of requested) if (!byName.has(name)) throw new Error(`column ${name} is not in the scanned files' schema`);
  if (requested.length === 0) return `true AS ${quoteIdent(NO_COLUMNS_PLACEHOLDER)}`;
  return requested
    .map((name) => {
      if (!(name in partitionValues)) return quoteIdent(name);
      const value = partitionValues[name];
      const literal = value === '__HIVE_DEFAULT_PARTITION__' ? 'NULL' : quoteString(value);
      return `CAST(${literal} AS ${byName.get(name)!.type}) AS ${quoteIdent(name)}`;
    })
    .join(', ');
}

/** Schema fields read from the files themselves (not from directory names). */
export function dataFields(schema: Schema, partitionValues: Record<string, string>): Field[] {
  return schema.fields.filter((f) => !(f.name in partitionValues));
}

/** A typed relation with the requested columns and no rows. */
export function emptyRelation(requested: string[], schema: Schema): string {
  const byName = new Map(schema.fields.map((f) => [f.name, f]));
  const list =
    requested.length === 0
      ? `true AS ${quoteIdent(NO_COLUMNS_PLACEHOLDER)}`
      : requested.map((n) => `CAST(NULL AS ${byName.get(n)?.type ?? 'VARCHAR'}) AS ${quoteIdent(n)}`).join(', ');
  return `(SELECT ${list} WHERE false)`;
}
