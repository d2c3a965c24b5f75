/**
 * Child process of the benchmark: native single-process DuckDB over the same Parquet files, so the
 * driver measures DuckDB's memory apart from its own. Reads one request per stdin line
 * (`{ query, runs }`), runs the query once to warm up and then `runs` times, and answers one JSON
 * line `{ query, ms: [per run], rows }`. Usage: duckdbTimes.ts <data dir> <threads>
 */
import { createInterface } from 'node:readline';
import { tpchQuery } from './queries.js';
import { ReferenceDuckDB } from './reference.js';

async function main(): Promise<void> {
  const [dataDir, threads] = process.argv.slice(2);
  if (!dataDir || !(Number(threads) >= 1)) throw new Error('usage: duckdbTimes.ts <data dir> <threads>');
  const db = await ReferenceDuckDB.open(dataDir, { threads: Number(threads) });
  try {
    for await (const line of createInterface({ input: process.stdin })) {
      const { query, runs } = JSON.parse(line) as { query: number; runs: number };
      const sql = tpchQuery(query);
      let rows = await db.query(sql);
      const ms: number[] = [];
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        rows = await db.query(sql);
        ms.push(performance.now() - started);
      }
      process.stdout.write(`${JSON.stringify({ query, ms, rows })}\n`);
    }
  } finally {
    db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
