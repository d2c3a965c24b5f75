/** Shapes of physical plans: which exchanges, how many tasks, broadcast or shuffle. No data is read. */
import { describe, expect, it } from 'vitest';
import {
  agg, aggregate, alias, as, asc, call, col, desc, field, filter, join, limit, lit, parquetSource, project, scan, schema, sort,
} from '../plan/plan-builders.test-util.js';
import { REDUCTION_ALIAS } from '../plan/reduction-join.js';
import type { JoinType, LogicalPlan } from '../plan/types.js';
import { plannerContext, scanSplitBytes, type PlannerContext } from './context.js';
import { broadcastableSides } from './join.js';
import { explainPhysical, planPhysical } from './planner.js';
import type { PhysicalPlan } from './types.js';

const MiB = 1024 * 1024;

/** A parquet table of `files` files totalling `bytes`, with an id and a payload column. */
function table(name: string, files: number, bytes: number): LogicalPlan {
  const list = Array.from({ length: files }, (_, i) => ({ path: `/data/${name}/${i}.parquet`, size: bytes / files }));
  return alias(scan(parquetSource(list), schema(field(`${name}_id`, 'BIGINT'), field(`${name}_v`, 'VARCHAR'))), name);
}

const big = () => table('big', 4, 100 * MiB);
const small = () => table('small', 2, 1 * MiB);
const on = call('=', col('big_id', 'big'), col('small_id', 'small'));
const ctx = (o: Partial<PlannerContext> = {}) => plannerContext({ workers: 2, ...o });
const kinds = (p: PhysicalPlan) => p.stages.map((s) => s.output.kind);

describe('join strategy', () => {
  it('broadcasts a side whose filters are guessed to bring it under the threshold, but picks between two small sides by their unfiltered size', async () => {
    const filteredBig = (bytes: number) => {
      const list = Array.from({ length: 4 }, (_, i) => ({ path: `/data/big/${i}.parquet`, size: bytes / 4 }));
      return alias(scan(parquetSource(list), schema(field('big_id', 'BIGINT'), field('big_v', 'VARCHAR')), { filters: [call('=', col('big_v'), lit('x', 'VARCHAR'))] }), 'big');
    };
    // 200 MiB with an equality: guessed at 20 MiB, under the 64 MiB threshold, against a 100 MiB side.
    const mid = table('small', 4, 100 * MiB);
    const overThreshold = await planPhysical(join(filteredBig(200 * MiB), mid, 'inner', on), ctx());
    expect(kinds(overThreshold)).toEqual(['broadcast', 'result']);
    expect(explainPhysical(overThreshold)).toMatch(/broadcast left/);
    // 40 MiB with an equality (guessed 4 MiB) against an unfiltered 10 MiB side: the unfiltered one is broadcast.
    const both = await planPhysical(join(filteredBig(40 * MiB), table('small', 2, 10 * MiB), 'inner', on), ctx());
    expect(explainPhysical(both)).toMatch(/broadcast right/);
  });

  it('runs a reduction semi join as a broadcast of its keys, and leaves it out when they are too many to broadcast or the rows few', async () => {
    const keys = alias(project(small(), [as(col('small_id'), '__rk0')]), REDUCTION_ALIAS);
    const plan = join(big(), keys, 'semi', call('=', col('big_id', 'big'), col('__rk0', REDUCTION_ALIAS)));
    const reduced = await planPhysical(plan, ctx());
    expect(kinds(reduced)).toEqual(['broadcast', 'result']);
    expect(explainPhysical(reduced)).toMatch(/BroadcastHashJoin\(semi on big_id = __rk0/);
    const without = await planPhysical(plan, ctx({ broadcastThresholdBytes: 512 * 1024 }));
    expect(kinds(without)).toEqual(['result']);
    expect(explainPhysical(without)).not.toMatch(/semi/);
    // Nor does it pay to reduce a relation that is small already.
    const smallRows = join(small(), keys, 'semi', call('=', col('small_id', 'small'), col('__rk0', REDUCTION_ALIAS)));
    expect(kinds(await planPhysical(smallRows, ctx()))).toEqual(['result']);
  });

  it("reads a reduction's keys from the stage of the semi join they were taken from, not from a copy", async () => {
    const keysOf = () => alias(project(small(), [col('small_id')]), 'sq');
    const chosen = join(table('mid', 4, 50 * MiB), keysOf(), 'semi', call('=', col('mid_id', 'mid'), col('small_id', 'sq')));
    const reducedBig = join(big(), alias(keysOf(), REDUCTION_ALIAS), 'semi', call('=', col('big_id', 'big'), col('small_id', REDUCTION_ALIAS)));
    const plan = join(chosen, reducedBig, 'inner', call('=', col('mid_id', 'mid'), col('big_id', 'big')));
    const physical = await planPhysical(plan, ctx());
    const keyStages = physical.stages.filter((stage) => stage.description.startsWith('Scan parquet') && stage.description.includes('Alias(sq)'));
    expect(keyStages).toHaveLength(1);
    expect(physical.stages.filter((stage) => stage.dependsOn.includes(keyStages[0]!.id)).length).toBeGreaterThanOrEqual(2);
    expect(explainPhysical(physical)).toMatch(/BroadcastHashJoin\(semi on big_id = small_id/);
  });

  it('reads a broadcast side whole from its files where that repeats no work, and exchanges it where it would', async () => {
    const mid = () => table('mid', 2, 10 * MiB);
    const onMid = call('=', col('big_id', 'big'), col('mid_id', 'mid'));
    // 10 MiB is a large broadcast: the big side runs one task per worker, and each reads mid's two files whole.
    const plain = await planPhysical(join(big(), mid(), 'inner', onMid), ctx());
    expect(kinds(plain)).toEqual(['result']);
    expect(plain.stages[0]!.tasks).toHaveLength(2);
    for (const task of plain.stages[0]!.tasks) expect(task.inputs[1]).toMatchObject({ kind: 'files', files: [{ path: '/data/mid/0.parquet' }, { path: '/data/mid/1.parquet' }] });
    // A filter would run in every task, a semi join would build all keys rather than the distinct ones: one stage does that.
    const filteredMid = alias(filter(mid(), call('=', col('mid_v'), lit('x', 'VARCHAR'))), 'mid');
    expect(kinds(await planPhysical(join(big(), filteredMid, 'inner', onMid), ctx()))).toEqual(['broadcast', 'result']);
    expect(kinds(await planPhysical(join(big(), mid(), 'semi', onMid), ctx()))).toEqual(['broadcast', 'result']);
    // A side of a few rows is read whole even by a task per split, filtered or not.
    const tiny = alias(filter(table('tiny', 1, 64 * 1024), call('=', col('tiny_v'), lit('x', 'VARCHAR'))), 'tiny');
    const withTiny = await planPhysical(join(big(), tiny, 'inner', call('=', col('big_id', 'big'), col('tiny_id', 'tiny'))), ctx());
    expect(kinds(withTiny)).toEqual(['result']);
    expect(withTiny.stages[0]!.tasks).toHaveLength(4);
    expect(kinds(await planPhysical(join(big(), mid(), 'inner', onMid), ctx({ readWholeBroadcasts: false })))).toEqual(['broadcast', 'result']);
  });

  it('knows which side each join type may broadcast', () => {
    const table: Record<JoinType, string[]> = {
      inner: ['left', 'right'], cross: ['left', 'right'], left: ['right'], semi: ['right'], anti: ['right'], right: ['left'], full: [],
    };
    for (const [type, sides] of Object.entries(table)) expect(broadcastableSides(type as JoinType)).toEqual(sides);
  });

  it('broadcasts the small side under the threshold and shuffles above it', async () => {
    const plan = join(big(), small(), 'inner', on);
    const broadcast = await planPhysical(plan, ctx());
    expect(kinds(broadcast)).toEqual(['broadcast', 'result']);
    expect(broadcast.stages[1]!.tasks).toHaveLength(4);
    expect(broadcast.stages[1]!.tasks[2]!.inputs[1]).toMatchObject({ kind: 'exchange', stageId: 0, partitions: 'all' });

    const shuffled = await planPhysical(plan, ctx({ broadcastThresholdBytes: 512 * 1024 }));
    expect(kinds(shuffled)).toEqual(['hash', 'hash', 'result']);
    expect(shuffled.stages[0]!.output).toEqual({ kind: 'hash', keys: ['big_id'], partitions: 4 });
    expect(shuffled.stages[1]!.output).toEqual({ kind: 'hash', keys: ['small_id'], partitions: 4 });
    expect(shuffled.stages[2]!.tasks[3]!.inputs.map((i) => i.kind === 'exchange' && i.partitions)).toEqual([[3], [3]]);
  });

  it('never broadcasts the preserved side of an outer join', async () => {
    const leftSmall = join(small(), big(), 'left', call('=', col('small_id', 'small'), col('big_id', 'big')));
    expect(kinds(await planPhysical(leftSmall, ctx()))).toEqual(['hash', 'hash', 'result']);
    const rightSmallLeftJoin = join(big(), small(), 'left', on);
    expect(kinds(await planPhysical(rightSmallLeftJoin, ctx()))).toEqual(['broadcast', 'result']);
    const rightJoin = join(small(), big(), 'right', call('=', col('small_id', 'small'), col('big_id', 'big')));
    const planned = await planPhysical(rightJoin, ctx());
    expect(kinds(planned)).toEqual(['broadcast', 'result']);
    expect(planned.stages[0]!.description).toContain('Scan parquet (2 file splits');
    expect(kinds(await planPhysical(join(big(), small(), 'right', on), ctx()))).toEqual(['hash', 'hash', 'result']);
    expect(kinds(await planPhysical(join(big(), small(), 'full', on), ctx({ broadcastThresholdBytes: 1e12 })))).toEqual(['hash', 'hash', 'result']);
    expect(kinds(await planPhysical(join(small(), big(), 'semi', call('=', col('small_id', 'small'), col('big_id', 'big'))), ctx()))).toEqual(['hash', 'hash', 'result']);
  });

  it('uses the Session estimate when given', async () => {
    const plan = join(big(), small(), 'inner', on);
    expect(kinds(await planPhysical(plan, ctx({ estimateBytes: () => 1e12 })))).toEqual(['hash', 'hash', 'result']);
  });

  it('keeps residual predicates in the join and gathers a keyless full join with a reason', async () => {
    const residual = call('and', on, call('<', col('big_v', 'big'), col('small_v', 'small')));
    const planned = await planPhysical(join(big(), small(), 'inner', residual), ctx({ broadcastThresholdBytes: 0 }));
    expect(planned.stages.at(-1)!.sql).toContain('("big"."big_v" < "small"."small_v")');
    const full = await planPhysical(join(big(), small(), 'full', call('<', col('big_v', 'big'), col('small_v', 'small'))), ctx());
    expect(kinds(full)).toEqual(['gather', 'gather', 'result']);
    expect(full.stages.at(-1)!.singleWorkerReason).toMatch(/full outer join without equality keys/);
    expect(explainPhysical(full)).toContain('single worker: full outer join');
  });
});

describe('aggregates, sorts and limits', () => {
  it('splits a grouped aggregate into partial and final around a hash exchange', async () => {
    const plan = aggregate(big(), [col('big_v')], [as(agg('avg', [col('big_id')]), 'mean')]);
    const p = await planPhysical(plan, ctx({ shufflePartitions: 6 }));
    expect(p.stages[0]!.output).toEqual({ kind: 'hash', keys: ['big_v'], partitions: 6 });
    expect(p.stages[0]!.sql).toMatch(/sum\(CAST\("big_id" AS DOUBLE\)\)/);
    expect(p.stages[1]!.sql).toContain('(sum("__partial_0") / sum("__partial_1"))');
    expect(p.stages[1]!.tasks).toHaveLength(6);
  });

  it('range-partitions a sort on its keys', async () => {
    const p = await planPhysical(sort(big(), [desc(col('big_v'), true), asc(col('big_id'))]), ctx());
    expect(p.stages[0]!.output).toEqual({
      kind: 'range', partitions: 4,
      keys: [{ sql: '"big_v"', ascending: false, nullsFirst: true }, { sql: '"big_id"', ascending: true, nullsFirst: false }],
    });
    expect(p.stages[1]!.sql).toContain('ORDER BY');
  });

  it('plans limit over sort as a top-N per task and a final top-N', async () => {
    const p = await planPhysical(limit(project(sort(big(), [asc(col('big_id'))]), [col('big_v')]), 10, 5), ctx());
    expect(kinds(p)).toEqual(['gather', 'result']);
    expect(p.stages[0]!.sql).toContain('LIMIT 15');
    expect(p.stages[1]!.tasks).toHaveLength(1);
    expect(p.stages[1]!.sql).toMatch(/LIMIT 10 OFFSET 5/);
    expect(p.schema.fields.map((f) => f.name)).toEqual(['big_v']);
  });

  it('runs everything in one stage when the input is one task', async () => {
    const one = table('one', 1, 1000);
    const p = await planPhysical(limit(sort(aggregate(one, [col('one_v')], [as(agg('count', []), 'n')]), [asc(col('n'))]), 3), ctx());
    expect(kinds(p)).toEqual(['result']);
    expect(p.stages[0]!.tasks).toHaveLength(1);
  });
});

describe('scans and writes', () => {
  it('makes one task per split and one empty task when everything was pruned', async () => {
    const splitFiles = async () => [[{ path: '/a' }], [{ path: '/b', rowGroups: [0, 2] }], [{ path: '/c' }]];
    expect((await planPhysical(big(), ctx({ splitFiles })).then((p) => p.stages[0]!.tasks)).length).toBe(3);
    const pruned = await planPhysical(big(), ctx({ splitFiles: async () => [] }));
    expect(pruned.stages[0]!.tasks).toEqual([{ partition: 0, inputs: [expect.objectContaining({ kind: 'files', files: [] })] }]);
  });

  it('ends in a write stage when asked, and checks the target', async () => {
    const write = { format: 'parquet' as const, path: '/out', mode: 'overwrite' as const, partitionBy: ['big_v'] };
    const p = await planPhysical(big(), ctx(), write);
    expect(p.stages.at(-1)!.output).toEqual({ kind: 'write', ...write });
    await expect(planPhysical(big(), ctx(), { ...write, partitionBy: ['nope'] })).rejects.toThrow(/partitionBy column 'nope'/);
  });

  it('rejects bad contexts', () => {
    expect(() => plannerContext({ workers: 0 })).toThrow(/workers must be a positive integer/);
    expect(() => plannerContext({ workers: 2, shufflePartitions: 1.5 })).toThrow(/shufflePartitions must be a positive integer/);
  });

  it('stores repeated column names under unique names across exchanges', async () => {
    const t = () => (table('t', 2, 1000) as Extract<LogicalPlan, { op: 'alias' }>).input;
    const self = join(alias(t(), 'a'), alias(t(), 'b'), 'inner', call('=', col('t_id', 'a'), col('t_id', 'b')));
    const p = await planPhysical(sort(self, [asc(col('t_v', 'b'))]), ctx({ broadcastThresholdBytes: 0 }));
    const ranged = p.stages.find((s) => s.output.kind === 'range')!;
    expect(ranged.schema.fields.map((f) => f.name)).toEqual(['t_id', 't_v', 't_id_b', 't_v_b']);
    expect(ranged.output).toMatchObject({ keys: [{ sql: '"t_v_b"' }] });
  });
});

describe('join keys', () => {
  it('only hash-partitions on key pairs whose types hash alike', async () => {
    const ints = alias(scan(parquetSource([{ path: '/i0.parquet', size: 50 * MiB }, { path: '/i1.parquet', size: 50 * MiB }]), schema(field('k', 'INTEGER'))), 'i');
    const longs = alias(scan(parquetSource([{ path: '/l0.parquet', size: 50 * MiB }, { path: '/l1.parquet', size: 50 * MiB }]), schema(field('k', 'BIGINT'))), 'l');
    const doubles = alias(scan(parquetSource([{ path: '/d0.parquet', size: 50 * MiB }, { path: '/d1.parquet', size: 50 * MiB }]), schema(field('k', 'DOUBLE'))), 'd');
    const joined = (a: LogicalPlan, b: LogicalPlan, type: JoinType) =>
      planPhysical(join(a, b, type, call('=', col('k', (a as { alias: string }).alias), col('k', (b as { alias: string }).alias))), ctx({ readWholeBroadcasts: false }));
    expect(kinds(await joined(ints, longs, 'inner'))).toEqual(['hash', 'hash', 'result']);
    expect(kinds(await joined(ints, doubles, 'inner'))).toEqual(['broadcast', 'result']);
    expect(kinds(await joined(ints, doubles, 'full'))).toEqual(['gather', 'gather', 'result']);
  });
});

describe('join order inside a task', () => {
  const filteredSmall = () => {
    const list = [0, 1].map((i) => ({ path: `/data/small/${i}.parquet`, size: MiB / 2 }));
    return alias(scan(parquetSource(list), schema(field('small_id', 'BIGINT'), field('small_v', 'VARCHAR')), { filters: [call('=', col('small_v'), lit('x', 'VARCHAR'))] }), 'small');
  };
  const withThird = (first: LogicalPlan) => join(first, table('third', 1, 64 * 1024), 'inner', call('=', col('big_id', 'big'), col('third_id', 'third')));

  it('computes a join with an input narrowed by an earlier stage first, whole, and leaves the rest to DuckDB', async () => {
    const narrowed = await planPhysical(withThird(join(big(), filteredSmall(), 'inner', on)), ctx({ readWholeBroadcasts: false }));
    expect(kinds(narrowed)).toEqual(['broadcast', 'broadcast', 'result']);
    const joins = narrowed.stages.at(-1)!.sql;
    expect(joins).toMatch(/\(WITH "__m\d+" AS MATERIALIZED \(SELECT .* FROM .* JOIN "s\d+" .*\) SELECT \* FROM "__m\d+"\) AS "t\d+" JOIN "s\d+"/);
    // Unfiltered inputs hide nothing from DuckDB's own estimates: it orders every join.
    const plain = await planPhysical(withThird(join(big(), small(), 'inner', on)), ctx({ readWholeBroadcasts: false }));
    expect(plain.stages.map((s) => s.sql).join('\n')).not.toMatch(/MATERIALIZED/);
  });
});

describe('scanSplitBytes', () => {
  it('gives a scan a task per shuffle partition, between 4 MiB and the configured target', () => {
    const context = plannerContext({ workers: 2 });
    const MiB = 1024 * 1024;
    expect(scanSplitBytes(context, 220 * MiB)).toBe(55 * MiB);
    expect(scanSplitBytes(context, 1024 * MiB)).toBe(64 * MiB);
    expect(scanSplitBytes(context, 2 * MiB)).toBe(4 * MiB);
    expect(scanSplitBytes(plannerContext({ workers: 2, targetSplitBytes: 64 * 1024 }), 2 * MiB)).toBe(64 * 1024);
  });
});
