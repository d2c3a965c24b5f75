import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TPCH_QUERY_NUMBERS = Array.from({ length: 22 }, (_, i) => i + 1);

const QUERY_DIR = join(fileURLToPath(new URL('.', import.meta.url)), 'queries');

/** The text of TPC-H query `n` (1..22) with the specification's default substitution parameters. */
export function tpchQuery(n: number): string {
  if (!TPCH_QUERY_NUMBERS.includes(n)) throw new Error(`TPC-H queries are numbered 1 to 22, got ${n}`);
  return readFileSync(join(QUERY_DIR, `q${String(n).padStart(2, '0')}.sql`), 'utf8');
}
