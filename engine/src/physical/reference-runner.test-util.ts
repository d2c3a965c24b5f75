/**
 * Runs a PhysicalPlan stage by stage in ONE DuckDB, keeping each exchange's semantics as documented
 * in types.ts: every task's output is materialized as Parquet, split into partitions (hash(keys) % n,
 * contiguous key ranges) or kept whole (broadcast, gather, result). Tests compare its
 * rows with renderPlan's single-query answer.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { quoteIdent, quoteString, renderLiteral } from '../plan/render.js';
import { renderScan } from '../plan/render-scan.js';
import type { Schema } from '../plan/types.js';
import type { PhysicalPlan, StagePlan, TaskInput } from './types.js';

export type Row = Record<string, unknown>;

export async function runPhysical(connection: DuckDBConnection, plan: PhysicalPlan, scratch: string): Promise<Row[]> {
  const result: Row[] = [];
  for (const stage of plan.stages) {
    for (const dep of stage.dependsOn) {
      if (dep >= stage.id) throw new Error(`stage ${stage.id} depends on later stage ${dep}`);
    }
    mkdirSync(stageDir(scratch, stage.id), { recursive: true });
    for (const task of stage.tasks) {
      for (const input of task.inputs) await register(connection, plan, input, scratch);
      await connection.run(`CREATE OR REPLACE TEMP TABLE task_out AS ${stage.sql}`);
      await emit(connection, stage, task.partition, scratch, result);
    }
    if (stage.output.kind === 'range') await splitRanges(connection, stage, scratch);
  }
  return result;
}

const stageDir = (scratch: string, id: number) => join(scratch, `stage-${id}`);
async function copyTo(connection: DuckDBConnection, query: string, path: string): Promise<void> {
  await connection.run(`COPY (${query}) TO ${quoteString(path)} (FORMAT parquet)`);
}

async function emit(connection: DuckDBConnection, stage: StagePlan, task: number, scratch: string, result: Row[]): Promise<void> {
  const dir = stageDir(scratch, stage.id);
  const output = stage.output;
  switch (output.kind) {
    case 'result':
    case 'write': {
      const reader = await connection.runAndReadAll('SELECT * FROM task_out');
      result.push(...(reader.getRowObjectsJson() as Row[]));
      return;
    }
    case 'broadcast':
    case 'gather':
      return copyTo(connection, 'SELECT * FROM task_out', join(dir, `p0-t${task}.parquet`));
    case 'hash': {
      const hash = `hash(${output.keys.map(quoteIdent).join(', ')}) % ${output.partitions}`;
      for (let p = 0; p < output.partitions; p++) {
        await copyTo(connection, `SELECT * FROM task_out WHERE ${hash} = ${p}`, join(dir, `p${p}-t${task}.parquet`));
      }
      return;
    }
    case 'range':
      // Split once every task is done: the bounds depend on the whole output.
      return copyTo(connection, 'SELECT * FROM task_out', join(dir, `all-t${task}.parquet`));
  }
}

/** Contiguous ranges of the stage's whole output in key order, about equally sized. */
async function splitRanges(connection: DuckDBConnection, stage: StagePlan, scratch: string): Promise<void> {
  if (stage.output.kind !== 'range') return;
  const dir = stageDir(scratch, stage.id);
  const order = stage.output.keys.map((k) => `${k.sql} ${k.ascending ? 'ASC' : 'DESC'} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ');
  const n = stage.output.partitions;
  await connection.run(`CREATE OR REPLACE TEMP TABLE range_all AS SELECT * FROM read_parquet(${quoteString(join(dir, 'all-t*.parquet'))})`);
  await connection.run(`CREATE OR REPLACE TEMP TABLE range_numbered AS SELECT *, (row_number() OVER (ORDER BY ${order}) - 1) * ${n} // greatest(1, (SELECT count(*) FROM range_all)) AS __part FROM range_all`);
  for (let p = 0; p < n; p++) {
    await copyTo(connection, `SELECT * EXCLUDE (__part) FROM range_numbered WHERE __part = ${p}`, join(dir, `p${p}-t0.parquet`));
  }
}

function emptySql(schema: Schema): string {
  return `SELECT ${schema.fields.map((f) => `CAST(NULL AS ${f.type}) AS ${quoteIdent(f.name)}`).join(', ')} LIMIT 0`;
}

async function register(connection: DuckDBConnection, plan: PhysicalPlan, input: TaskInput, scratch: string): Promise<void> {
  const name = quoteIdent(input.name);
  switch (input.kind) {
    case 'files': {
      if (input.files.some((f) => f.rowGroups || f.byteRange)) throw new Error('the reference runner reads whole files only');
      const partitionNames = [...new Set(input.files.flatMap((f) => Object.keys(f.partitionValues ?? {})))];
      const scan = renderScan({
        format: input.format,
        files: input.files,
        schema: input.schema,
        partitionColumns: input.schema.fields.filter((f) => partitionNames.includes(f.name)),
        csv: input.csv,
        filters: [],
      });
      const where = input.filterSql ? ` WHERE ${input.filterSql}` : '';
      const columns = input.columns ? input.columns.map(quoteIdent).join(', ') : '*';
      await connection.run(`CREATE OR REPLACE TEMP TABLE ${name} AS SELECT ${columns} FROM (${scan})${where}`);
      return;
    }
    case 'exchange': {
      const producer = plan.stages.find((s) => s.id === input.stageId);
      if (!producer) throw new Error(`input ${input.name} reads unknown stage ${input.stageId}`);
      const dir = stageDir(scratch, input.stageId);
      const partitions = input.partitions === 'all' ? null : new Set(input.partitions.map((p) => `p${p}-`));
      const files = readdirSync(dir)
        .filter((f) => /^p\d+-t\d+\.parquet$/.test(f) && (partitions === null || [...partitions].some((p) => f.startsWith(p))))
        .sort((a, b) => partitionOf(a) - partitionOf(b) || taskOf(a) - taskOf(b))
        .map((f) => join(dir, f));
      const query = files.length > 0 ? `SELECT * FROM read_parquet([${files.map(quoteString).join(', ')}])` : emptySql(input.schema);
      await connection.run(`CREATE OR REPLACE TEMP TABLE ${name} AS ${query}`);
      return;
    }
    case 'values': {
      const table = tableFromIPC(Buffer.from(input.arrowIpcBase64, 'base64'));
      const rows = table.toArray().map((row) =>
        `(${input.schema.fields.map((f) => {
          const v = (row as Record<string, unknown>)[f.name];
          return renderLiteral(v === null || v === undefined ? null : typeof v === 'bigint' ? String(v) : (v as string | number | boolean), f.type);
        }).join(', ')})`,
      );
      const columns = input.schema.fields.map((f) => `${quoteIdent(f.name)} ${f.type}`).join(', ');
      await connection.run(`CREATE OR REPLACE TEMP TABLE ${name} (${columns})`);
      if (rows.length > 0) await connection.run(`INSERT INTO ${name} VALUES ${rows.join(', ')}`);
      return;
    }
  }
}

const partitionOf = (file: string) => Number(/^p(\d+)/.exec(file)![1]);
const taskOf = (file: string) => Number(/-t(\d+)/.exec(file)![1]);
