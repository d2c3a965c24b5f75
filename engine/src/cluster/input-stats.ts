/**
 * What a task read from exchanges: bytes of its exchange files and the rows in them (from the
 * Parquet footers, so nothing is scanned twice). File inputs are measured by the planner's splits.
 */
import { stat } from 'node:fs/promises';
import type { DuckDBInstance } from '@duckdb/node-api';
import { quoteStringList } from '../plan/sql-quote.js';
import type { TaskAssignment } from './protocol.js';

export async function exchangeInputStats(instance: DuckDBInstance, assignment: TaskAssignment): Promise<{ rowsIn: number; bytesIn: number }> {
  const work = assignment.work;
  const files = work.kind === 'rangeBounds' ? work.files : work.inputs.flatMap((input) => (input.kind === 'exchangeFiles' ? input.files : []));
  if (files.length === 0) return { rowsIn: 0, bytesIn: 0 };
  const sizes = await Promise.all(files.map(async (file) => (await stat(file)).size));
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`SELECT coalesce(sum(num_rows), 0)::BIGINT FROM parquet_file_metadata(${quoteStringList(files)})`);
    return { rowsIn: Number(reader.getRowsJS()[0]![0]), bytesIn: sizes.reduce((sum, size) => sum + size, 0) };
  } finally {
    connection.closeSync();
  }
}
