/**
 * The cluster benchmark: `npm run bench:cluster -- [--sf 0.2] [--query 18] [--repeat 3]`.
 * Times one TPC-H query through spark.sql on clusters of 1, 2 and 3 workers, and on the 2- and
 * 3-worker clusters once more with a worker SIGKILLed halfway through (at half the clean run's
 * time), checks every answer against single-process DuckDB and prints times with their ratios.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Session, startCluster, type Cluster } from '@quire/engine';
import { generateTpch, isGenerated, TPCH_TABLES } from '../tpch/generate.js';
import { tpchQuery } from '../tpch/queries.js';
import { compareResults, ReferenceDuckDB, type ResultRow } from '../tpch/reference.js';

const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WORKER_COUNTS = [1, 2, 3];

interface Measurement {
  workers: number;
  killed: boolean;
  /** Median wall-clock time of the repeats. */
  ms: number;
  /** 'yes', or what differed from DuckDB. */
  match: string;
  /** The killed worker and when it was killed, for the killed runs. */
  kill?: string;
}

async function ensureData(sf: number): Promise<string> {
  const dir = join(REPO, '.scratch', 'tpch', `sf${sf}`);
  if (isGenerated(dir)) return dir;
  mkdirSync(dirname(dir), { recursive: true });
  console.log(`generating TPC-H SF ${sf} into ${dir} ...`);
  await generateTpch({ sf, outDir: dir, log: (m) => console.log(`  ${m}`) });
  return dir;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Kills a worker that is running a task (any live worker if none is) once `afterMs` have passed. */
function killWorkerAfter(cluster: Cluster, afterMs: number): { done: Promise<string> } {
  const done = new Promise<string>((resolve, reject) => {
    setTimeout(() => {
      cluster.status().then((status) => {
        const live = status.workers.filter((w) => (w.state === 'idle' || w.state === 'busy') && w.pid !== undefined);
        const victim = live.find((w) => w.runningTasks > 0) ?? live[0];
        if (!victim) return reject(new Error('no live worker to kill'));
        process.kill(victim.pid!, 'SIGKILL');
        resolve(`${victim.id} (${victim.runningTasks} running tasks) at ${afterMs.toFixed(0)} ms`);
      }, reject);
    }, afterMs);
  });
  return { done };
}

async function waitForWorkers(cluster: Cluster, count: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await cluster.status();
    if (status.workers.filter((w) => w.state === 'idle' || w.state === 'busy').length >= count && status.workers.every((w) => w.state !== 'starting')) return;
    if (Date.now() > deadline) throw new Error(`the cluster did not get back to ${count} ready workers within 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function measureCluster(dataDir: string, sql: string, expected: ResultRow[], workers: number, repeat: number, scratch: string): Promise<Measurement[]> {
  const cluster = await startCluster({ core: workers, scratchDir: join(scratch, `w${workers}`, 'cluster') });
  const spark = await Session.start({ cluster: cluster.url, scratchDir: join(scratch, `w${workers}`, 'session') });
  try {
    for (const table of TPCH_TABLES) (await spark.read.parquet(join(dataDir, table))).createOrReplaceTempView(table);
    const run = async (): Promise<{ ms: number; match: string }> => {
      await waitForWorkers(cluster, workers);
      const started = performance.now();
      const rows = await (await spark.sql(sql)).collect();
      const comparison = compareResults(rows, expected);
      return { ms: performance.now() - started, match: comparison.equal ? 'yes' : `NO: ${comparison.difference}` };
    };
    await run(); // warm-up: file metadata and page caches, worker start-up
    const clean = [];
    for (let i = 0; i < repeat; i++) clean.push(await run());
    const results: Measurement[] = [{ workers, killed: false, ms: median(clean.map((r) => r.ms)), match: clean.find((r) => r.match !== 'yes')?.match ?? 'yes' }];
    if (workers > 1) {
      const killedRuns = [];
      const kills = [];
      for (let i = 0; i < repeat; i++) {
        await waitForWorkers(cluster, workers);
        const kill = killWorkerAfter(cluster, results[0]!.ms / 2);
        killedRuns.push(await run());
        kills.push(await kill.done);
      }
      results.push({ workers, killed: true, ms: median(killedRuns.map((r) => r.ms)), match: killedRuns.find((r) => r.match !== 'yes')?.match ?? 'yes', kill: kills.join('; ') });
    }
    return results;
  } finally {
    await spark.stop();
    await cluster.stop();
  }
}

function formatTable(measurements: Measurement[]): string {
  const baseline = measurements.find((m) => m.workers === 1 && !m.killed)!.ms;
  const lines = ['run                            ms   vs 1 worker   vs clean   same rows'];
  for (const m of measurements) {
    const clean = measurements.find((c) => c.workers === m.workers && !c.killed)!.ms;
    const label = `${m.workers} worker${m.workers > 1 ? 's' : ''}${m.killed ? ', 1 killed midway' : ''}`;
    lines.push(`${label.padEnd(27)} ${m.ms.toFixed(0).padStart(5)} ${(m.ms / baseline).toFixed(2).padStart(13)} ${(m.ms / clean).toFixed(2).padStart(10)}   ${m.match}`);
  }
  for (const m of measurements) if (m.kill) lines.push(`  ${m.workers} workers: killed ${m.kill}`);
  return lines.join('\n');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sf: { type: 'string', default: '0.2' }, query: { type: 'string', default: '18' }, repeat: { type: 'string', default: '3' } },
  });
  const sf = Number(values.sf);
  const query = Number(values.query);
  const repeat = Number(values.repeat);
  if (!(sf > 0)) throw new Error(`--sf must be a positive number, got ${values.sf}`);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat must be a positive integer, got ${values.repeat}`);
  const sql = tpchQuery(query); // rejects unknown query numbers before any work

  const dataDir = await ensureData(sf);
  const reference = await ReferenceDuckDB.open(dataDir);
  const expected = await reference.query(sql).finally(() => reference.close());
  const scratch = mkdtempSync(join(tmpdir(), 'quire-bench-cluster-'));
  const measurements: Measurement[] = [];
  try {
    for (const workers of WORKER_COUNTS) {
      console.log(`Q${query} on ${workers} worker(s) ...`);
      measurements.push(...(await measureCluster(dataDir, sql, expected, workers, repeat, scratch)));
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  console.log(`\nTPC-H Q${query}, SF ${sf}, median of ${repeat} run(s) after a warm-up, data in ${dataDir}\n`);
  console.log(formatTable(measurements));
  const resultsDir = join(REPO, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `cluster-q${query}-sf${sf}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify({ sf, query, repeat, measurements }, null, 2));
  console.log(`\nresults written to ${file}`);
  if (measurements.some((m) => m.match !== 'yes')) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
