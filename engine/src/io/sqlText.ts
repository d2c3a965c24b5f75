/** Quoting for SQL text built from paths, names and values. */

export function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export function sqlIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function sqlStringList(values: string[]): string {
  return `[${values.map(sqlString).join(', ')}]`;
}
