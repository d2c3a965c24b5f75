/**
 * The TPC-H benchmark: `npm run bench:tpch -- --sf 1 --workers 2 [--queries 1,6,13] [--runs 3]`.
 * Generates the data once (cached under .scratch/tpch/sf<SF>), times every query in Quire (Session
 * with the given number of workers) and in native single-process DuckDB over the same files, checks
 * that both give the same rows, and prints times, ratios and the peak RSS of every process.
 *
 * To be fair on a shared machine: both sides run every query once to warm up and then `runs` times
 * (the median counts), query by query in turn so both see the same load; DuckDB gets as many
 * threads as all workers together (workers x threads per worker).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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
  /** Medians of the timed runs. */
  quireMs?: number;
  duckdbMs?: number;
  quireRunsMs?: number[];
  duckdbRunsMs?: number[];
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
interface QuireOptions {
  workers: number;
  threadsPerWorker: number;
  targetSplitBytes?: number;
  shufflePartitions?: number;
  broadcastThreshold?: number;
  memoryPerWorker?: string;
}
interface SessionClass {
  start(options: QuireOptions): Promise<SessionLike>;
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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Native DuckDB in its own process (so its memory is measured on its own), one query at a time. */
class DuckDBProcess {
  private readonly child;
  private readonly lines: AsyncIterator<string>;

  constructor(dataDir: string, threads: number) {
    this.child = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'duckdbTimes.ts'), dataDir, String(threads)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    this.lines = createInterface({ input: this.child.stdout })[Symbol.asyncIterator]();
  }

  async run(query: number, runs: number): Promise<{ ms: number[]; rows: ResultRow[] }> {
    this.child.stdin.write(`${JSON.stringify({ query, runs })}\n`);
    const line = await this.lines.next();
    if (line.done) throw new Error(`the DuckDB reference process exited (code ${this.child.exitCode}) before answering Q${query}`);
    return JSON.parse(line.value) as { ms: number[]; rows: ResultRow[] };
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    const code = await new Promise<number | null>((resolve) => (this.child.exitCode !== null ? resolve(this.child.exitCode) : this.child.once('close', resolve)));
    if (code !== 0) throw new Error(`the DuckDB reference process exited with code ${code}`);
  }
}

async function loadSession(): Promise<SessionClass | string> {
  const engine = (await import('@quire/engine')) as Record<string, unknown>;
  const session = engine.Session as SessionClass | undefined;
  return typeof session?.start === 'function' ? session : '@quire/engine does not export Session yet';
}

async function runBoth(dataDir: string, queries: number[], runs: number, options: QuireOptions): Promise<QueryTiming[]> {
  const Session = await loadSession();
  const duckdb = new DuckDBProcess(dataDir, options.workers * options.threadsPerWorker);
  const spark = typeof Session === 'string' ? undefined : await Session.start(options);
  try {
    if (spark) for (const table of TPCH_TABLES) (await spark.read.parquet(join(dataDir, table))).createOrReplaceTempView(table);
    const timings: QueryTiming[] = [];
    for (const query of queries) {
      const reference = await duckdb.run(query, runs);
      const timing: QueryTiming = { query, duckdbMs: median(reference.ms), duckdbRunsMs: reference.ms, match: '' };
      timings.push(timing);
      if (!spark) {
        timing.match = `not run: ${Session as string}`;
        continue;
      }
      try {
        const sql = tpchQuery(query);
        let rows = await (await spark.sql(sql)).collect();
        const ms: number[] = [];
        for (let run = 0; run < runs; run++) {
          const started = performance.now();
          rows = await (await spark.sql(sql)).collect();
          ms.push(performance.now() - started);
        }
        const comparison = compareResults(rows, reference.rows);
        Object.assign(timing, { quireMs: median(ms), quireRunsMs: ms, rows: rows.length, match: comparison.equal ? 'yes' : `NO: ${comparison.difference}` });
      } catch (error) {
        timing.match = `error: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
      }
    }
    return timings;
  } finally {
    await spark?.stop();
    await duckdb.close();
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
    options: {
      sf: { type: 'string', default: '1' },
      workers: { type: 'string', default: '2' },
      queries: { type: 'string' },
      runs: { type: 'string', default: '3' },
      'threads-per-worker': { type: 'string' },
      'split-mib': { type: 'string' },
      'shuffle-partitions': { type: 'string' },
      'broadcast-mib': { type: 'string' },
      'memory-per-worker': { type: 'string' },
    },
  });
  const sf = Number(values.sf);
  const workers = Number(values.workers);
  const runs = Number(values.runs);
  const threadsPerWorker = Number(values['threads-per-worker'] ?? Math.max(1, Math.floor(availableParallelism() / workers)));
  if (!(sf > 0)) throw new Error(`--sf must be a positive number, got ${values.sf}`);
  for (const [name, value] of [['--workers', workers], ['--runs', runs], ['--threads-per-worker', threadsPerWorker]] as const) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got ${value}`);
  }
  const queries = values.queries ? values.queries.split(',').map(Number) : TPCH_QUERY_NUMBERS;
  for (const q of queries) tpchQuery(q); // rejects unknown query numbers before any work
  const mib = (v: string | undefined) => (v === undefined ? undefined : Math.round(Number(v) * 2 ** 20));
  const options: QuireOptions = {
    workers,
    threadsPerWorker,
    ...(values['split-mib'] ? { targetSplitBytes: mib(values['split-mib'])! } : {}),
    ...(values['shuffle-partitions'] ? { shufflePartitions: Number(values['shuffle-partitions']) } : {}),
    ...(values['broadcast-mib'] ? { broadcastThreshold: mib(values['broadcast-mib'])! } : {}),
    ...(values['memory-per-worker'] ? { memoryPerWorker: values['memory-per-worker'] } : {}),
  };

  const dataDir = await ensureData(sf);
  const sampler = new PeakMemorySampler();
  const timings = await runBoth(dataDir, queries, runs, options);
  const peaks = sampler.stop();

  console.log(`\nTPC-H SF ${sf}, ${workers} workers x ${threadsPerWorker} DuckDB threads vs DuckDB with ${workers * threadsPerWorker} threads;` +
    ` median of ${runs} warm runs; data in ${dataDir}\n`);
  console.log(formatTable(timings, peaks));
  const resultsDir = join(REPO, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `tpch-sf${sf}-w${workers}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ sf, options, runs, timings, peaks }, null, 2));
  console.log(`\nresults written to ${file}`);
  if (timings.some((t) => t.match !== 'yes')) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
