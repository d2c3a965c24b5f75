/**
 * Shared set-up of the TPC-H suites: generated data in a temporary directory, the DuckDB reference
 * over the same files, Sessions with every table as a temporary view, and an in-order comparison.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTpch, TPCH_TABLES } from '../../../bench/tpch/generate.js';
import { compareResults, ReferenceDuckDB, type Comparison, type ResultRow } from '../../../bench/tpch/reference.js';
import { Session, type SessionOptions } from '../../src/api/session.js';

export interface TpchData {
  dir: string;
  reference: ReferenceDuckDB;
  remove(): void;
}

/** Generates TPC-H at `sf` into a fresh temporary directory and opens the reference on it. */
export async function generatedTpch(sf: number, prefix: string): Promise<TpchData> {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const dir = join(root, `sf${sf}`);
  await generateTpch({ sf, outDir: dir });
  const reference = await ReferenceDuckDB.open(dir, { threads: 1 });
  return {
    dir,
    reference,
    remove() {
      reference.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * The two clusters the SF 0.01 suites run on. SF 0.01 files are a few hundred KiB: small scan splits make
 * every scan several tasks, and the three-worker cluster broadcasts nothing, so every join is a shuffle join there.
 */
export const TPCH_CLUSTERS: { workers: number; options: SessionOptions; joins: string }[] = [
  { workers: 2, options: { targetSplitBytes: 64 * 1024 }, joins: 'small tables broadcast' },
  { workers: 3, options: { targetSplitBytes: 64 * 1024, broadcastThreshold: 0 }, joins: 'every join shuffled' },
];

/** A Session on a cluster of `workers` with every TPC-H table registered under its own name. */
export async function tpchSession(dataDir: string, workers: number, options: SessionOptions = {}): Promise<Session> {
  const spark = await Session.start({ workers, ...options });
  try {
    for (const table of TPCH_TABLES) (await spark.read.parquet(join(dataDir, table))).createOrReplaceTempView(table);
    return spark;
  } catch (error) {
    await spark.stop();
    throw error;
  }
}

/**
 * Same rows in the same order (numbers to the same relative tolerance as compareResults). Used for
 * queries whose ORDER BY fully determines the order of their rows.
 */
export function compareInOrder(actual: ResultRow[], expected: ResultRow[]): Comparison {
  const asMultiset = compareResults(actual, expected);
  if (!asMultiset.equal) return asMultiset;
  for (let i = 0; i < actual.length; i++) {
    const row = compareResults([actual[i]!], [expected[i]!]);
    if (!row.equal) return { equal: false, difference: `row ${i} out of order: ${row.difference}` };
  }
  return { equal: true };
}
