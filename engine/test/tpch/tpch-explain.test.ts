/**
 * explain() of the TPC-H queries that scan, join and aggregate the big tables shows plans that
 * spread the work over every worker: several stages, every big-table scan and every shuffle
 * consumer split into at least as many tasks as workers, nothing run on a single worker, and no
 * stage that gathers rows to one task before they have been reduced (aggregated or cut by a TopN).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tpchQuery } from '../../../bench/tpch/queries.js';
import type { Session } from '../../src/api/session.js';
import { generatedTpch, tpchSession, type TpchData } from './tpch-support.js';

const QUERIES = [1, 3, 5, 6, 10, 12, 14, 18];
const BIG_TABLES = ['lineitem', 'orders'];

interface ExplainedStage {
  id: number;
  tasks: number;
  description: string;
  reads: string;
  singleWorker: boolean;
}

/** The stages of the `== Physical Plan ==` section, as explainPhysical renders them. */
function stagesOf(explained: string): ExplainedStage[] {
  const physical = explained.slice(explained.indexOf('== Physical Plan =='));
  const stages: ExplainedStage[] = [];
  for (const line of physical.split('\n')) {
    const header = /^Stage (\d+)(?: \(result\))?: (\d+) tasks?/.exec(line);
    if (header) stages.push({ id: Number(header[1]), tasks: Number(header[2]), description: '', reads: '', singleWorker: false });
    const stage = stages.at(-1);
    if (!stage || header) continue;
    if (line.startsWith('  reads ')) stage.reads = line;
    else if (line.startsWith('  single worker:')) stage.singleWorker = true;
    else if (line.startsWith('  ')) stage.description = line.trim();
  }
  return stages;
}

let data: TpchData;
beforeAll(async () => {
  data = await generatedTpch(0.01, 'quire-tpch-explain-');
});
afterAll(() => data?.remove());

describe.each([2, 3])('explain() of TPC-H queries on %i workers', (workers) => {
  let spark: Session;
  beforeAll(async () => {
    // SF 0.01 files are small: 64 KiB splits give the big tables the several splits SF 1 has.
    spark = await tpchSession(data.dir, workers, { targetSplitBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await spark?.stop();
  });

  it.each(QUERIES)('Q%i is a multi-stage plan over every worker', async (q) => {
    const explained = await (await spark.sql(tpchQuery(q))).explain();
    const stages = stagesOf(explained);
    expect(stages.length, explained).toBeGreaterThan(1);
    expect(explained).not.toMatch(/single worker/);
    for (const stage of stages) {
      const where = `stage ${stage.id}: ${stage.description}`;
      expect(stage.singleWorker, where).toBe(false);
      const scansBigTable = BIG_TABLES.some((table) => stage.description.includes(`Alias(${table})`)) && stage.reads.includes('parquet files');
      if (scansBigTable) expect(stage.tasks, where).toBeGreaterThanOrEqual(workers);
      if (stage.reads.includes('partition per task')) expect(stage.tasks, where).toBeGreaterThanOrEqual(workers);
      if (stage.description.endsWith('Exchange gather')) expect(stage.description, where).toMatch(/HashAggregate\(partial\)|TopN\(partial/);
    }
    // The big tables are read somewhere, and by several tasks.
    expect(stages.some((s) => s.reads.includes('parquet files') && s.tasks >= workers), explained).toBe(true);
  });
});
