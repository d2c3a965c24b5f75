/**
 * TPC-H Q1, Q3, Q5, Q6 and Q10 written with the DataFrame API (no SQL text) on a two-worker cluster
 * answer what DuckDB answers to the queries' SQL, in the same order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tpchQuery } from '../../../bench/tpch/queries.js';
import type { DataFrame } from '../../src/api/dataframe.js';
import { avg, col, count, desc, lit, sum } from '../../src/api/functions.js';
import type { Session } from '../../src/api/session.js';
import { compareInOrder, generatedTpch, tpchSession, type TpchData } from './tpch-support.js';

const date = (iso: string) => lit(iso).cast('DATE');
const decimal = (text: string) => lit(text).cast('DECIMAL(3,2)');
/** l_extendedprice * (1 - l_discount) */
const discounted = () => col('l_extendedprice').multiply(lit(1).minus(col('l_discount')));

type Tables = Record<'customer' | 'orders' | 'lineitem' | 'supplier' | 'nation' | 'region', DataFrame>;

const PROGRAMS: Record<number, (t: Tables) => DataFrame> = {
  1: ({ lineitem }) =>
    lineitem
      .filter(col('l_shipdate').le(date('1998-09-02')))
      .groupBy('l_returnflag', 'l_linestatus')
      .agg(
        sum('l_quantity').alias('sum_qty'),
        sum('l_extendedprice').alias('sum_base_price'),
        sum(discounted()).alias('sum_disc_price'),
        sum(discounted().multiply(lit(1).plus(col('l_tax')))).alias('sum_charge'),
        avg('l_quantity').alias('avg_qty'),
        avg('l_extendedprice').alias('avg_price'),
        avg('l_discount').alias('avg_disc'),
        count().alias('count_order'),
      )
      .orderBy('l_returnflag', 'l_linestatus'),

  3: ({ customer, orders, lineitem }) =>
    customer
      .filter(col('c_mktsegment').eq('BUILDING'))
      .join(orders.filter(col('o_orderdate').lt(date('1995-03-15'))), col('c_custkey').eq(col('o_custkey')))
      .join(lineitem.filter(col('l_shipdate').gt(date('1995-03-15'))), col('l_orderkey').eq(col('o_orderkey')))
      .groupBy('l_orderkey', 'o_orderdate', 'o_shippriority')
      .agg(sum(discounted()).alias('revenue'))
      .select('l_orderkey', 'revenue', 'o_orderdate', 'o_shippriority')
      .orderBy(desc('revenue'), 'o_orderdate')
      .limit(10),

  5: ({ customer, orders, lineitem, supplier, nation, region }) =>
    customer
      .join(orders.filter(col('o_orderdate').ge(date('1994-01-01')).and(col('o_orderdate').lt(date('1995-01-01')))), col('c_custkey').eq(col('o_custkey')))
      .join(lineitem, col('l_orderkey').eq(col('o_orderkey')))
      .join(supplier, col('l_suppkey').eq(col('s_suppkey')).and(col('c_nationkey').eq(col('s_nationkey'))))
      .join(nation, col('s_nationkey').eq(col('n_nationkey')))
      .join(region.filter(col('r_name').eq('ASIA')), col('n_regionkey').eq(col('r_regionkey')))
      .groupBy('n_name')
      .agg(sum(discounted()).alias('revenue'))
      .orderBy(desc('revenue')),

  6: ({ lineitem }) =>
    lineitem
      .filter(
        col('l_shipdate').ge(date('1994-01-01'))
          .and(col('l_shipdate').lt(date('1995-01-01')))
          // DECIMAL like the SQL's 0.06 - 0.01: as doubles, 0.06 + 0.01 is 0.06999… and drops discounts of 0.07.
          .and(col('l_discount').between(decimal('0.06').minus(decimal('0.01')), decimal('0.06').plus(decimal('0.01'))))
          .and(col('l_quantity').lt(24)),
      )
      .agg(sum(col('l_extendedprice').multiply(col('l_discount'))).alias('revenue')),

  10: ({ customer, orders, lineitem, nation }) =>
    customer
      .join(orders.filter(col('o_orderdate').ge(date('1993-10-01')).and(col('o_orderdate').lt(date('1994-01-01')))), col('c_custkey').eq(col('o_custkey')))
      .join(lineitem.filter(col('l_returnflag').eq('R')), col('l_orderkey').eq(col('o_orderkey')))
      .join(nation, col('c_nationkey').eq(col('n_nationkey')))
      .groupBy('c_custkey', 'c_name', 'c_acctbal', 'c_phone', 'n_name', 'c_address', 'c_comment')
      .agg(sum(discounted()).alias('revenue'))
      .select('c_custkey', 'c_name', 'revenue', 'c_acctbal', 'n_name', 'c_address', 'c_phone', 'c_comment')
      .orderBy(desc('revenue'))
      .limit(20),
};

let data: TpchData;
let spark: Session;
let tables: Tables;

beforeAll(async () => {
  data = await generatedTpch(0.01, 'quire-tpch-dataframe-');
  spark = await tpchSession(data.dir, 2, { targetSplitBytes: 64 * 1024 });
  const table = (name: keyof Tables) => spark.table(name);
  tables = { customer: table('customer'), orders: table('orders'), lineitem: table('lineitem'), supplier: table('supplier'), nation: table('nation'), region: table('region') };
});
afterAll(async () => {
  await spark?.stop();
  data?.remove();
});

describe('TPC-H with the DataFrame API on two workers', () => {
  it.each(Object.keys(PROGRAMS).map(Number))('Q%i matches DuckDB on the SQL', async (q) => {
    const rows = await PROGRAMS[q]!(tables).collect();
    const reference = await data.reference.query(tpchQuery(q));
    expect(reference.length).toBeGreaterThan(0);
    expect(compareInOrder(rows, reference).difference ?? 'same rows').toBe('same rows');
  });
});
