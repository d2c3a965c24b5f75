import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { openDuckDB } from '../../engine/src/io/duckdb.js';
import { TPCH_TABLES } from './generate.js';

export type ResultRow = Record<string, unknown> | unknown[];

/**
 * Single-process native DuckDB over the generated Parquet files, with a view per table, so TPC-H
 * queries run exactly as written: the reference Quire's answers and times are compared with.
 */
export class ReferenceDuckDB {
  private constructor(
    private readonly instance: DuckDBInstance,
    private readonly connection: DuckDBConnection,
    private readonly scratchDir: string,
  ) {}

  static async open(dataDir: string, options: { threads?: number; memoryLimit?: string } = {}): Promise<ReferenceDuckDB> {
    const scratchDir = join(tmpdir(), `quire-tpch-reference-${process.pid}-${Date.now()}`);
    const { instance, connection } = await openDuckDB({ scratchDir, ...options });
    for (const table of TPCH_TABLES) {
      const glob = join(dataDir, table, '*.parquet').replaceAll("'", "''");
      await connection.run(`CREATE VIEW ${table} AS SELECT * FROM read_parquet('${glob}')`);
    }
    return new ReferenceDuckDB(instance, connection, scratchDir);
  }

  /** Rows as JSON-friendly objects (DECIMAL and BIGINT as strings, DATE as 'YYYY-MM-DD'). */
  async query(sql: string): Promise<Record<string, unknown>[]> {
    return (await this.connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
    rmSync(this.scratchDir, { recursive: true, force: true });
  }
}

/** Runs one query on a fresh reference database over `dataDir`. */
export async function runReference(dataDir: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = await ReferenceDuckDB.open(dataDir);
  try {
    return await db.query(sql);
  } finally {
    db.close();
  }
}

export interface Comparison {
  equal: boolean;
  /** What differs first, when the results differ. */
  difference?: string;
}

type Value = number | string | boolean | null;

/** Puts values from DuckDB JSON, Arrow or plain JS on one footing: numbers (incl. numeric strings) as numbers. */
function normalize(value: unknown): Value {
  if (value === null || value === undefined) return null;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'string') return /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(value) ? Number(value) : value;
  if (typeof value === 'object' && 'valueOf' in value && typeof value.valueOf() !== 'object') return normalize(value.valueOf());
  return JSON.stringify(value);
}

function rowValues(row: ResultRow): Value[] {
  return (Array.isArray(row) ? row : Object.values(row)).map(normalize);
}

function close(a: Value, b: Value, tolerance: number): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    return a === b || Math.abs(a - b) <= tolerance * Math.max(Math.abs(a), Math.abs(b));
  }
  return a === b;
}

/**
 * Compares two results as multisets of rows (order ignored), numbers to a relative tolerance
 * (1e-9 by default) so float sums computed in a different order still agree.
 */
export function compareResults(actual: ResultRow[], expected: ResultRow[], relativeTolerance = 1e-9): Comparison {
  if (actual.length !== expected.length) {
    return { equal: false, difference: `row counts differ: ${actual.length} vs ${expected.length}` };
  }
  // Rows can only match rows with equal non-numeric values: bucket by those, then pair numbers in sorted order.
  const bucket = (rows: ResultRow[]) => {
    const buckets = new Map<string, Value[][]>();
    for (const row of rows) {
      const values = rowValues(row);
      const key = JSON.stringify(values.map((v) => (typeof v === 'number' ? '#' : v)));
      const bucket = buckets.get(key);
      if (bucket) bucket.push(values);
      else buckets.set(key, [values]);
    }
    return buckets;
  };
  const byNumbers = (x: Value[], y: Value[]) => {
    for (let i = 0; i < x.length; i++) {
      if (typeof x[i] === 'number' && x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
    }
    return 0;
  };
  const left = bucket(actual);
  const right = bucket(expected);
  for (const [key, rows] of left) {
    const others = right.get(key);
    if (!others || others.length !== rows.length) {
      return { equal: false, difference: `${rows.length} row(s) like ${JSON.stringify(rows[0])} vs ${others?.length ?? 0}` };
    }
    rows.sort(byNumbers);
    others.sort(byNumbers);
    for (let r = 0; r < rows.length; r++) {
      if (rows[r].length !== others[r].length || !rows[r].every((v, i) => close(v, others[r][i], relativeTolerance))) {
        return { equal: false, difference: `row ${JSON.stringify(rows[r])} vs ${JSON.stringify(others[r])}` };
      }
    }
  }
  return { equal: true };
}
