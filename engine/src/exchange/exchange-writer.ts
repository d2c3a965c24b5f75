/**
 * Writes a task's query result in the layout its exchange asks for. Hash output is one COPY pass
 * that adds the target partition as a column and lets DuckDB's PARTITION_BY split the files.
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { TaskOutput, TaskOutputSpec } from '../cluster/protocol.js';
import { writeQueryAsArrowIpc } from './arrow-result.js';
import { quoteIdent, quoteString } from '../plan/sql-quote.js';

const PARTITION_COLUMN = '__quire_partition';
/**
 * Exchange files live on local disk for the length of one job and are read back by several tasks
 * (every task of a broadcast): uncompressed Parquet costs about 15% less to write and half as much
 * to read as snappy, for files a few times larger.
 */
const EXCHANGE_PARQUET = 'FORMAT parquet, COMPRESSION uncompressed';

export interface WrittenTaskOutput {
  output: TaskOutput;
  rows: number;
  bytes: number;
}

export async function writeTaskOutput(connection: DuckDBConnection, sql: string, spec: TaskOutputSpec): Promise<WrittenTaskOutput> {
  switch (spec.kind) {
    case 'hash': {
      await mkdir(spec.dir, { recursive: true });
      if (spec.keys.length === 0) throw new Error('a hash exchange needs at least one key');
      const hash = `CAST(hash(${spec.keys.map(quoteIdent).join(', ')}) % ${spec.partitions} AS INTEGER)`;
      const rows = await copy(connection, `SELECT *, ${hash} AS ${PARTITION_COLUMN} FROM (${sql})`, spec.dir, `${EXCHANGE_PARQUET}, PARTITION_BY (${PARTITION_COLUMN}), OVERWRITE_OR_IGNORE`);
      const files: Record<number, string[]> = {};
      let bytes = 0;
      for (const file of await listFiles(spec.dir)) {
        const match = new RegExp(`${PARTITION_COLUMN}=(\\d+)`).exec(file.path);
        if (!match) throw new Error(`unexpected file ${file.path} in hash exchange output ${spec.dir}`);
        (files[Number(match[1])] ??= []).push(file.path);
        bytes += file.size;
      }
      return { output: { kind: 'partitioned', files }, rows, bytes };
    }
    case 'single': {
      await mkdir(dirname(spec.file), { recursive: true });
      const rows = await copy(connection, sql, spec.file, EXCHANGE_PARQUET);
      return { output: { kind: 'single', file: spec.file }, rows, bytes: (await stat(spec.file)).size };
    }
    case 'result': {
      await mkdir(dirname(spec.file), { recursive: true });
      const { rows } = await writeQueryAsArrowIpc(connection, sql, spec.file);
      return { output: { kind: 'result', file: spec.file }, rows, bytes: (await stat(spec.file)).size };
    }
    case 'write': {
      await mkdir(spec.dir, { recursive: true });
      const extension = spec.format === 'json' ? 'json' : spec.format;
      const format = [`FORMAT ${spec.format}`];
      if (spec.format === 'csv') {
        format.push(`HEADER ${spec.csv?.header ?? true}`);
        if (spec.csv?.delimiter) format.push(`DELIMITER ${quoteString(spec.csv.delimiter)}`);
      }
      let rows: number;
      if (spec.partitionBy.length) {
        format.push(`PARTITION_BY (${spec.partitionBy.map(quoteIdent).join(', ')})`, `FILENAME_PATTERN ${quoteString(`${spec.filePrefix}-{i}`)}`, 'OVERWRITE_OR_IGNORE');
        rows = await copy(connection, sql, spec.dir, format.join(', '));
      } else {
        rows = await copy(connection, sql, join(spec.dir, `${spec.filePrefix}.${extension}`), format.join(', '));
      }
      const files = await listFiles(spec.dir);
      return {
        output: { kind: 'write', dir: spec.dir, files: files.map((f) => relative(spec.dir, f.path)) },
        rows,
        bytes: files.reduce((sum, f) => sum + f.size, 0),
      };
    }
  }
}

async function copy(connection: DuckDBConnection, sql: string, target: string, options: string): Promise<number> {
  const reader = await connection.runAndReadAll(`COPY (${sql}) TO ${quoteString(target)} (${options})`);
  return Number(reader.getRows()[0]?.[0] ?? 0);
}

async function listFiles(dir: string): Promise<{ path: string; size: number }[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name)).sort();
  return Promise.all(files.map(async (path) => ({ path, size: (await stat(path)).size })));
}
