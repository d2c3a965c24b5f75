import type { DuckDBConnection } from '@duckdb/node-api';
import type { S3Config } from './s3Config.js';

/** What IO functions need from the process they run in. */
export interface IoContext {
  connection: DuckDBConnection;
  /** Where S3 objects are mirrored (footers, fetched row groups, downloaded files). */
  scratchDir: string;
  /** S3 settings; the standard AWS environment variables when absent. */
  s3?: S3Config;
  signal?: AbortSignal;
}
