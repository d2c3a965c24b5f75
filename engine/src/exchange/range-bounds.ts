/**
 * Range exchange. A range stage's tasks each write one Parquet file. When all are done the master
 * asks one worker to sample the keys of those files (a reservoir of SAMPLE_ROWS rows, sorted by the
 * exchange's ordering) and pick partitions-1 boundary rows at even quantiles. Boundaries come back
 * as SQL literals, and each consumer partition i reads every file of the stage filtered to
 * boundary[i-1] <= key < boundary[i] under the ordering (ascending/descending, nulls first/last),
 * so partition i's keys all sort before partition i+1's and every row lands in exactly one.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import type { RangeBoundsWork } from '../cluster/protocol.js';
import { quoteStringList } from '../plan/sql-quote.js';

const SAMPLE_ROWS = 10_000;

type RangeKey = RangeBoundsWork['keys'][number];

/** Returns one filter per consumer partition (partitions entries). */
export async function computeRangeFilters(connection: DuckDBConnection, work: RangeBoundsWork): Promise<string[]> {
  if (work.keys.length === 0) throw new Error('a range exchange needs at least one key');
  if (work.partitions < 1) throw new Error(`a range exchange needs at least one partition, got ${work.partitions}`);
  if (work.partitions === 1 || work.files.length === 0) return Array.from({ length: work.partitions }, () => 'true');
  const keyColumns = work.keys.map((k, i) => `(${k.sql}) AS k${i}`).join(', ');
  const orderBy = work.keys.map((k, i) => `k${i} ${k.ascending ? 'ASC' : 'DESC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ');
  const literals = work.keys.map((_, i) => literalSql(`k${i}`)).join(', ');
  const reader = await connection.runAndReadAll(
    `SELECT ${literals} FROM (SELECT ${keyColumns} FROM read_parquet(${quoteStringList(work.files)}) USING SAMPLE reservoir(${SAMPLE_ROWS} ROWS) REPEATABLE (7)) ORDER BY ${orderBy}`,
  );
  const sample = reader.getRows().map((row) => row.map(String));
  if (sample.length === 0) return Array.from({ length: work.partitions }, () => 'true');
  const bounds: string[][] = [];
  for (let i = 1; i < work.partitions; i++) bounds.push(sample[Math.floor((i * sample.length) / work.partitions)]!);
  return Array.from({ length: work.partitions }, (_, p) => {
    const conditions: string[] = [];
    if (p > 0) conditions.push(`NOT (${before(work.keys, bounds[p - 1]!)})`);
    if (p < work.partitions - 1) conditions.push(before(work.keys, bounds[p]!));
    return conditions.length ? conditions.join(' AND ') : 'true';
  });
}

/** A DuckDB expression that renders a value as a SQL literal of its own type. */
function literalSql(column: string): string {
  return `CASE WHEN ${column} IS NULL THEN 'NULL' ELSE 'CAST(''' || replace(CAST(${column} AS VARCHAR), '''', '''''') || ''' AS ' || typeof(${column}) || ')' END`;
}

/** SQL that is true when a row's key tuple sorts strictly before the bound tuple. */
function before(keys: RangeKey[], bound: string[], index = 0): string {
  if (index === keys.length) return 'false';
  const key = keys[index]!;
  const value = `(${key.sql})`;
  const literal = bound[index]!;
  const rest = before(keys, bound, index + 1);
  const equal = `(${value} IS NOT DISTINCT FROM ${literal})`;
  return `(${strictlyBefore(value, literal, key)} OR (${equal} AND ${rest}))`;
}

function strictlyBefore(value: string, literal: string, key: RangeKey): string {
  if (literal === 'NULL') return key.nullsFirst ? 'false' : `(${value} IS NOT NULL)`;
  const compare = `${value} ${key.ascending ? '<' : '>'} ${literal}`;
  return key.nullsFirst ? `(${value} IS NULL OR ${compare})` : `(${value} IS NOT NULL AND ${compare})`;
}
