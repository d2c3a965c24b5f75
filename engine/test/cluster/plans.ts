/** Small hand-written physical plans and data for the cluster tests. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import type { Schema } from '../../src/plan/types.js';
import type { Exchange, StagePlan, TaskInput } from '../../src/physical/types.js';
import { openDuckDB } from '../../src/io/duckdb.js';

export const AIRPORTS_CSV = fileURLToPath(new URL('../../../node_modules/vega-datasets/data/airports.csv', import.meta.url));

export const AIRPORTS_SCHEMA: Schema = {
  fields: [
    { name: 'iata', type: 'VARCHAR', nullable: true },
    { name: 'name', type: 'VARCHAR', nullable: true },
    { name: 'city', type: 'VARCHAR', nullable: true },
    { name: 'state', type: 'VARCHAR', nullable: true },
    { name: 'country', type: 'VARCHAR', nullable: true },
    { name: 'latitude', type: 'DOUBLE', nullable: true },
    { name: 'longitude', type: 'DOUBLE', nullable: true },
  ],
};

export function schemaOf(fields: [string, string][]): Schema {
  return { fields: fields.map(([name, type]) => ({ name, type, nullable: true })) };
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `quire-${prefix}-`));
}

/** A DuckDB for computing expected answers and generating test files. */
export async function referenceDb(dir: string) {
  const { instance, connection } = await openDuckDB({ scratchDir: join(dir, 'reference'), threads: 1 });
  return {
    connection,
    close(): void {
      connection.closeSync();
      instance.closeSync();
    },
    async rows(sql: string): Promise<unknown[][]> {
      return (await connection.runAndReadAll(sql)).getRowsJS();
    },
  };
}

/** Airports as Parquet: two files, the second with several small row groups. */
export async function airportsParquet(dir: string): Promise<{ first: string; second: string; secondRowGroups: number }> {
  const db = await referenceDb(dir);
  const first = join(dir, 'airports-1.parquet');
  const second = join(dir, 'airports-2.parquet');
  const source = `read_csv('${AIRPORTS_CSV}')`;
  await db.connection.run(`COPY (SELECT * FROM ${source} WHERE iata < 'B') TO '${first}' (FORMAT parquet)`);
  await db.connection.run(`COPY (SELECT * FROM ${source} WHERE iata >= 'B' ORDER BY iata) TO '${second}' (FORMAT parquet, ROW_GROUP_SIZE 1024)`);
  const [[groups]] = (await db.rows(`SELECT count(DISTINCT row_group_id) FROM parquet_metadata('${second}')`)) as [[bigint]];
  return { first, second, secondRowGroups: Number(groups) };
}

export function filesInput(name: string, files: TaskInput & { kind: 'files' } extends infer F ? F extends { files: infer L } ? L : never : never, format: 'parquet' | 'csv' = 'parquet'): TaskInput {
  return { kind: 'files', name, format, files, schema: AIRPORTS_SCHEMA, csv: format === 'csv' ? { header: true, delimiter: ',', inferSchema: false, mode: 'failfast' } : undefined };
}

export function exchangeInput(name: string, stageId: number, partitions: number[] | 'all', schema: Schema): TaskInput {
  return { kind: 'exchange', name, stageId, partitions, schema };
}

export function valuesInput(name: string, columns: Record<string, unknown[] | ArrayLike<unknown>>, schema: Schema): TaskInput {
  const table = tableFromArrays(columns as Parameters<typeof tableFromArrays>[0]);
  return { kind: 'values', name, arrowIpcBase64: Buffer.from(tableToIPC(table, 'stream')).toString('base64'), schema };
}

export function stage(id: number, sql: string, output: Exchange, tasks: TaskInput[][], dependsOn: number[] = [], schema: Schema = { fields: [] }): StagePlan {
  return { id, dependsOn, sql, output, schema, description: `stage ${id}`, tasks: tasks.map((inputs, partition) => ({ partition, inputs })) };
}
