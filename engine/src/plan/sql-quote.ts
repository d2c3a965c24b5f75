/** Quoting for SQL text built from names, paths and values: the one place every layer uses. */

export function quoteIdent(name: string): string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`quoteIdent: an identifier must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  return `"${name.replaceAll('"', '""')}"`;
}

export function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A DuckDB list literal of strings, e.g. for `read_parquet([...])`. */
export function quoteStringList(items: string[]): string {
  return `[${items.map(quoteString).join(', ')}]`;
}
