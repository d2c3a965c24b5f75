/**
 * The TPC-H benchmark: `npm run bench:tpch -- --sf 1 --workers 2 [--queries 1,6,13]`.
 * Generates the data once (cached under .scratch/tpch/sf<SF>), times every query in Quire (Session
 * with the given number of workers) and in native single-process DuckDB over the same files, checks
 * that both give the same rows, and prints times, ratios and the peak RSS of every process.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateTpch, isGenerated, TPCH_TABLES } from './generate.js';
import { PeakMemorySampler, type ProcessPeak } from './processMemory.js';
import { TPCH_QUERY_NUMBERS, tpchQuery } from './queries.js';
import { compareResults, type ResultRow } from './reference.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '..', '..');

interface QueryTiming {
  query: number;
  quireMs?: number;
  duckdbMs?: number;
  rows?: number;
  /** 'yes', or what differs, or the error Quire raised. */
  match: string;
}

/** The part of the Session API the benchmark uses (PySpark-shaped, from @quire/engine). */
interface SessionLike {
  read: { parquet(paths: string | string[]): Promise<{ createOrReplaceTempView(name: string): void }> };
  sql(query: string): Promise<{ collect(): Promise<ResultRow[]> }>;
  stop(): Promise<void>;
}
interface SessionClass {
  start(options: { workers: number }): Promise<SessionLike>;
}

async function ensureData(sf: number): Promise<string> {
  const dir = join(REPO, '.scratch', 'tpch', `sf${sf}`);
  if (isGenerated(dir)) return dir;
  mkdirSync(dirname(dir), { recursive: true });
  console.log(`generating TPC-H SF ${sf} into ${dir} ...`);
  const started = Date.now();
  await generateTpch({ sf, outDir: dir, log: (m) => console.log(`  ${m}`) });
  console.log(`generated in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}

/** Runs the queries in a separate DuckDB process, so its memory is measured on its own. */
async function runDuckDB(dataDir: string, queries: number[]): Promise<Map<number, { ms: number; rows: ResultRow[] }>> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'duckdbTimes.ts'), dataDir, queries.join(',')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const results = new Map<number, { ms: number; rows: ResultRow[] }>();
  for await (const line of createInterface({ input: child.stdout })) {
    const { query, ms, rows } = JSON.parse(line) as { query: number; ms: number; rows: ResultRow[] };
    results.set(query, { ms, rows });
  }
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (code !== 0) throw new Error(`the DuckDB reference process exited with code ${code}`);
  return results;
}

async function loadSession(): Promise<SessionClass | string> {
  const engine = (await import('@quire/engine')) as Record<string, unknown>;
  const session = engine.Session as SessionClass | undefined;
  return typeof session?.start === 'function' ? session : '@quire/engine does not export Session yet';
}

async function runQuire(dataDir: string, queries: number[], workers: number, reference: Map<number, { rows: ResultRow[] }>): Promise<QueryTiming[]> {
  const Session = await loadSession();
  if (typeof Session === 'string') return queries.map((query) => ({ query, match: `not run: ${Session}` }));
  const spark = await Session.start({ workers });
  try {
    for (const table of TPCH_TABLES) (await spark.read.parquet(join(dataDir, table))).createOrReplaceTempView(table);
    const timings: QueryTiming[] = [];
    for (const query of queries) {
      const started = performance.now();
      try {
        const rows = await (await spark.sql(tpchQuery(query))).collect();
        const quireMs = performance.now() - started;
        const expected = reference.get(query)?.rows ?? [];
        const comparison = compareResults(rows, expected);
        timings.push({ query, quireMs, rows: rows.length, match: comparison.equal ? 'yes' : `NO: ${comparison.difference}` });
      } catch (error) {
        timings.push({ query, match: `error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` });
      }
    }
    return timings;
  } finally {
    await spark.stop();
  }
}

function formatTable(timings: QueryTiming[], peaks: ProcessPeak[]): string {
  const ms = (v?: number) => (v === undefined ? '-' : v.toFixed(0));
  const lines = ['query   quire ms   duckdb ms   ratio    rows  same rows'];
  for (const t of timings) {
    const ratio = t.quireMs !== undefined && t.duckdbMs ? (t.quireMs / t.duckdbMs).toFixed(2) : '-';
    lines.push(`Q${String(t.query).padEnd(5)} ${ms(t.quireMs).padStart(9)} ${ms(t.duckdbMs).padStart(11)} ${ratio.padStart(7)} ${String(t.rows ?? '-').padStart(7)}  ${t.match}`);
  }
  const complete = timings.filter((t) => t.quireMs !== undefined && t.duckdbMs !== undefined);
  const quireTotal = complete.reduce((s, t) => s + t.quireMs!, 0);
  const duckdbTotal = timings.reduce((s, t) => s + (t.duckdbMs ?? 0), 0);
  const duckdbOfComplete = complete.reduce((s, t) => s + t.duckdbMs!, 0);
  lines.push(
    `total  ${ms(complete.length ? quireTotal : undefined).padStart(9)} ${ms(duckdbTotal).padStart(11)} ${(complete.length ? (quireTotal / duckdbOfComplete).toFixed(2) : '-').padStart(7)}` +
      `  (${complete.length} of ${timings.length} queries ran in both)`,
  );
  lines.push('', 'peak RSS per process');
  for (const p of peaks) lines.push(`  ${p.role.padEnd(18)} pid ${String(p.pid).padEnd(8)} ${(p.peakRssBytes / 2 ** 20).toFixed(0).padStart(6)} MiB`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sf: { type: 'string', default: '1' }, workers: { type: 'string', default: '2' }, queries: { type: 'string' } },
  });
  const sf = Number(values.sf);
  const workers = Number(values.workers);
  if (!(sf > 0)) throw new Error(`--sf must be a positive number, got ${values.sf}`);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers must be a positive integer, got ${values.workers}`);
  const queries = values.queries ? values.queries.split(',').map(Number) : TPCH_QUERY_NUMBERS;
  for (const q of queries) tpchQuery(q); // rejects unknown query numbers before any work

  const dataDir = await ensureData(sf);
  const sampler = new PeakMemorySampler();
  const duckdb = await runDuckDB(dataDir, queries);
  const timings = await runQuire(dataDir, queries, workers, duckdb);
  for (const t of timings) t.duckdbMs = duckdb.get(t.query)?.ms;
  const peaks = sampler.stop();

  console.log(`\nTPC-H SF ${sf}, ${workers} workers, data in ${dataDir}\n`);
  console.log(formatTable(timings, peaks));
  const resultsDir = join(REPO, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `tpch-sf${sf}-w${workers}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ sf, workers, timings, peaks }, null, 2));
  console.log(`\nresults written to ${file}`);
  if (timings.some((t) => t.match !== 'yes')) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
