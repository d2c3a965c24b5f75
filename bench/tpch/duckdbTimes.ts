/**
 * Child process of the benchmark: runs TPC-H queries in native single-process DuckDB over the same
 * Parquet files and prints one JSON line per query ({ query, ms, rows }), so the driver measures
 * DuckDB's memory apart from its own. Usage: duckdbTimes.ts <data dir> <query numbers, comma-separated>
 */
import { tpchQuery } from './queries.js';
import { ReferenceDuckDB } from './reference.js';

async function main(): Promise<void> {
  const [dataDir, queryList] = process.argv.slice(2);
  if (!dataDir || !queryList) throw new Error('usage: duckdbTimes.ts <data dir> <query numbers>');
  const db = await ReferenceDuckDB.open(dataDir);
  try {
    for (const query of queryList.split(',').map(Number)) {
      const started = performance.now();
      const rows = await db.query(tpchQuery(query));
      process.stdout.write(`${JSON.stringify({ query, ms: performance.now() - started, rows })}\n`);
    }
  } finally {
    db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
