/**
 * Quoting for the SQL the result tables and charts send to duckdb-wasm. Kept apart from duckdb.ts so
 * building a query does not pull duckdb-wasm into the start-up bundle.
 */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
