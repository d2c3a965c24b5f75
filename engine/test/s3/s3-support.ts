/** Test data on a real s3rver: a Parquet file of several row groups, a CSV file, and their local twins. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AIRPORTS_CSV, FLIGHTS_PARQUET } from '../../src/api/test-session.test-util.js';
import { openDuckDB } from '../../src/io/duckdb.js';
import { s3Client } from '../../src/io/s3Config.js';
import { listObjects, uploadFile } from '../../src/io/s3Objects.js';
import { startS3rver, type S3Fixture } from '../../src/io/testing/s3rverFixture.js';

export const FLIGHT_ROWS = 20_000;
/** Rows per Parquet row group: the flights file has ten, sorted by distance so statistics prune. */
export const ROW_GROUP_ROWS = 2_000;

export interface S3Data {
  s3: S3Fixture;
  /** Local directory holding the same files that were uploaded. */
  dir: string;
  local: { flights: string; airports: string; sales: string };
  remote: { flights: string; airports: string; sales: string };
  /** Keys under a prefix of the test bucket. */
  keys(prefix: string): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startS3Data(): Promise<S3Data> {
  const s3 = await startS3rver();
  const dir = mkdtempSync(join(tmpdir(), 'quire-s3-data-'));
  const local = { flights: join(dir, 'flights.parquet'), airports: join(dir, 'airports.csv'), sales: join(dir, 'sales.csv') };
  const { instance, connection } = await openDuckDB({ scratchDir: join(dir, 'duckdb'), threads: 1, memoryLimit: '512MB' });
  try {
    await connection.run(
      `COPY (SELECT * FROM read_parquet('${FLIGHTS_PARQUET}') ORDER BY distance, date, origin, destination LIMIT ${FLIGHT_ROWS})
         TO '${local.flights}' (FORMAT parquet, ROW_GROUP_SIZE ${ROW_GROUP_ROWS})`,
    );
    await connection.run(`COPY (SELECT * FROM read_csv('${AIRPORTS_CSV}', header = true)) TO '${local.airports}' (FORMAT csv, HEADER true)`);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  // Lines 3 and 5 are malformed: a value that is not a number, a row with a missing column.
  writeFileSync(local.sales, 'id,amount\n1,10\n2,not-a-number\n3,30\n4\n5,50\n');
  const client = s3Client(s3.config);
  const remote = {
    flights: `s3://${s3.bucket}/raw/flights.parquet`,
    airports: `s3://${s3.bucket}/raw/airports.csv`,
    sales: `s3://${s3.bucket}/raw/sales.csv`,
  };
  for (const name of ['flights', 'airports', 'sales'] as const) {
    await uploadFile(client, local[name], { bucket: s3.bucket, key: remote[name].slice(`s3://${s3.bucket}/`.length) });
  }
  return {
    s3,
    dir,
    local,
    remote,
    async keys(prefix) {
      return (await listObjects(client, s3.bucket, prefix)).map((o) => o.key).sort();
    },
    async stop() {
      await s3.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The number of tasks of the first file scan in an explain() text. */
export function scanTasks(explained: string): number {
  const match = /Scan parquet \((\d+) file splits in (\d+) tasks/.exec(explained);
  if (!match) throw new Error(`no Parquet scan in:\n${explained}`);
  return Number(match[2]);
}
