import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openDuckDB } from '../duckdb.js';

export interface DuckDBFixture {
  connection: DuckDBConnection;
  /** A temporary directory for the test's files and caches. */
  dir: string;
  query(sql: string): Promise<Record<string, unknown>[]>;
  close(): void;
}

export async function openTestDuckDB(): Promise<DuckDBFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'quire-io-test-'));
  const { instance, connection } = await openDuckDB({ scratchDir: join(dir, 'duckdb'), threads: 1, memoryLimit: '1GB' });
  return {
    connection,
    dir,
    async query(sql) {
      return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    },
    close() {
      connection.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
