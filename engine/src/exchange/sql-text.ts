/** SQL for relations the exchange layer needs. */
import type { Schema } from '../plan/types.js';
import { quoteIdent } from '../plan/sql-quote.js';


/** A relation with the schema's columns and no rows, for inputs whose upstream produced no files. */
export function emptyRelationSql(schema: Schema): string {
  if (schema.fields.length === 0) throw new Error('cannot build an empty relation for a schema with no fields');
  const columns = schema.fields.map((f) => `CAST(NULL AS ${f.type}) AS ${quoteIdent(f.name)}`);
  return `SELECT ${columns.join(', ')} WHERE false`;
}
