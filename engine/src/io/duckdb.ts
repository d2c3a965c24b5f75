import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckDBOptions {
  /** Where DuckDB spills and keeps extension files; created if missing. */
  scratchDir: string;
  /** DuckDB's memory_limit, e.g. '2GB'. DuckDB's own default when absent. */
  memoryLimit?: string;
  threads?: number;
}

/**
 * Opens an in-memory DuckDB with the settings every Quire process needs. Extension autoloading is
 * off because extensions cannot be downloaded here and a blocked download hangs; everything Quire
 * uses (parquet, json) is built in.
 */
export async function openDuckDB(options: DuckDBOptions): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const tempDirectory = join(options.scratchDir, 'duckdb-tmp');
  const extensionDirectory = join(options.scratchDir, 'duckdb-extensions');
  mkdirSync(tempDirectory, { recursive: true });
  mkdirSync(extensionDirectory, { recursive: true });
  const config: Record<string, string> = {
    autoload_known_extensions: 'false',
    autoinstall_known_extensions: 'false',
    extension_directory: extensionDirectory,
    temp_directory: tempDirectory,
  };
  if (options.memoryLimit) config.memory_limit = options.memoryLimit;
  if (options.threads) config.threads = String(options.threads);
  const instance = await DuckDBInstance.create(':memory:', config);
  const connection = await instance.connect();
  return { instance, connection };
}
