/**
 * Test harness: tables as Parquet files, a SqlContext whose tables are scan plans over them, and
 * a comparison of `renderPlan(sqlToPlan(q))` with DuckDB running `q` directly (rows as multisets).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { openDuckDB } from '../../io/duckdb.js';
import { optimize } from '../../optimizer/index.js';
import { quoteIdent, quoteString } from '../../plan/render-expr.js';
import { renderPlan } from '../../plan/render.js';
import { planChildren } from '../../plan/expr-walk.js';
import type { LogicalPlan } from '../../plan/types.js';
import type { SqlContext } from '../context.js';
import { sqlToPlan } from '../index.js';

export interface TestDb {
  connection: DuckDBConnection;
  instance: DuckDBInstance;
  ctx: SqlContext;
  dir: string;
  close(): void;
}

/** Creates each table from its SQL, writes it as Parquet and exposes it both as a view and as a scan plan. */
export async function openTestDb(tables: [name: string, sql: string][], files: [name: string, path: string, format: 'parquet' | 'csv'][] = []): Promise<TestDb> {
  const dir = mkdtempSync(join(tmpdir(), 'quire-sql-test-'));
  const { instance, connection } = await openDuckDB({ scratchDir: join(dir, 'scratch'), threads: 1 });
  const plans = new Map<string, LogicalPlan>();
  const register = async (name: string, path: string, format: 'parquet' | 'csv') => {
    const read = format === 'parquet' ? `read_parquet(${quoteString(path)})` : `read_csv(${quoteString(path)}, header = true)`;
    await connection.run(`CREATE VIEW ${quoteIdent(name)} AS SELECT * FROM ${read}`);
    const described = await connection.runAndReadAll(`DESCRIBE SELECT * FROM ${read}`);
    const fields = described.getRowObjects().map((r) => ({ name: String(r.column_name), type: String(r.column_type), nullable: true }));
    plans.set(name, {
      op: 'scan',
      source: {
        format,
        paths: [path],
        files: [{ path, size: statSync(path).size, partitionValues: {} }],
        partitionColumns: [],
        ...(format === 'csv' ? { csv: { header: true, delimiter: ',', inferSchema: false, schema: fields, mode: 'failfast' as const } } : {}),
      },
      schema: { fields },
      filters: [],
    });
  };
  for (const [name, sql] of tables) {
    const path = join(dir, `${name}.parquet`);
    await connection.run(`CREATE TEMP TABLE ${quoteIdent(`${name}__build`)} AS ${sql}`);
    await connection.run(`COPY ${quoteIdent(`${name}__build`)} TO ${quoteString(path)} (FORMAT parquet)`);
    await register(name, path, 'parquet');
  }
  for (const [name, path, format] of files) await register(name, path, format);
  const ctx: SqlContext = {
    connection,
    resolveTable: (name) => plans.get(name),
    tableNames: () => [...plans.keys()],
  };
  return { connection, instance, ctx, dir, close: () => { connection.closeSync(); instance.closeSync(); rmSync(dir, { recursive: true, force: true }); } };
}

function normalize(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toPrecision(10);
  if (typeof value === 'bigint') return value.toString();
  const text = String(value);
  // Decimals and doubles printed as text compare to 10 significant digits too.
  return /^-?\d+\.\d+$/.test(text) ? Number(text).toPrecision(10) : text;
}

export async function rowsOf(connection: DuckDBConnection, sql: string): Promise<string[]> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRows().map((row) => row.map(normalize).join(' | '));
}

export interface Comparison {
  plan: LogicalPlan;
  /** Rows sorted, to compare as multisets. */
  expected: string[];
  actual: string[];
  /** Rows in the order each query returned them, for queries whose ORDER BY decides the order fully. */
  expectedInOrder: string[];
  actualInOrder: string[];
  /** Rows of the optimized plan, sorted: the optimizer must not change an answer. */
  optimized: string[];
}

/** Runs `query` directly and through plan + renderPlan; rows sorted so they compare as multisets. */
export async function compareWithDuckDB(db: TestDb, query: string): Promise<Comparison> {
  const plan = await sqlToPlan(query, db.ctx);
  const expectedInOrder = await rowsOf(db.connection, query);
  const actualInOrder = await rowsOf(db.connection, renderPlan(plan));
  const optimized = (await rowsOf(db.connection, renderPlan(optimize(plan)))).sort();
  return { plan, expected: [...expectedInOrder].sort(), actual: [...actualInOrder].sort(), expectedInOrder, actualInOrder, optimized };
}

/** Reasons of every opaque node in the plan. */
export function opaqueReasons(plan: LogicalPlan): string[] {
  const found: string[] = [];
  const visit = (p: LogicalPlan) => {
    if (p.op === 'opaque') found.push(p.reason);
    planChildren(p).forEach(visit);
  };
  visit(plan);
  return found;
}
