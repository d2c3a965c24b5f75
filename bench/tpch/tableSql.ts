import {
  COLORS, CONTAINER_SYLLABLE_1, CONTAINER_SYLLABLE_2, NATIONS, PRIORITIES, REGIONS, SEGMENTS, SHIP_INSTRUCTIONS,
  SHIP_MODES, TYPE_SYLLABLE_1, TYPE_SYLLABLE_2, TYPE_SYLLABLE_3,
} from './vocabulary.js';

/**
 * DuckDB queries producing the TPC-H tables (specification clause 4.2.3) for a key range, so a table
 * can be written as several files. Every "random" value is hash(key, stream) of the row's key and a
 * column-specific stream number, so any range of any table is reproducible on its own and orders and
 * lineitem agree without a join. Every query takes two parameters: $1 the text pool comments are cut
 * from (see textPool.ts), $2 the seed (a multiple of 1000) that shifts every stream. Queries over
 * range() are written without ORDER BY: DuckDB keeps insertion order through scans, filters and
 * projections (preserve_insertion_order), so the files come out sorted by key without a sort.
 */

export const TEXT_POOL_BYTES = 1 << 20;
/** Orders are dated up to ENDDATE - 151 days (1998-08-02); CURRENTDATE decides return flags and line status. */
const START_DATE = `DATE '1992-01-01'`;
const ORDER_DAYS = 2405;
const CURRENT_DATE = `DATE '1995-06-17'`;

export interface Cardinalities {
  suppliers: number;
  parts: number;
  customers: number;
  orders: number;
}

export function cardinalities(sf: number): Cardinalities {
  const scaled = (n: number) => Math.max(1, Math.round(n * sf));
  return { suppliers: scaled(10_000), parts: scaled(200_000), customers: scaled(150_000), orders: scaled(1_500_000) };
}

/**
 * A pseudo-random 64-bit value for `key` on `stream`. One integer goes into hash(): DuckDB's
 * multi-argument hash combines the hashes so that their low bits stay correlated across streams.
 */
function draw(key: string, stream: number): string {
  return `hash((${key}) * 1000003 + ${stream} + $2)`;
}

/** A uniform integer in [lo, hi] drawn from `key` on `stream`. */
function uniform(key: string, stream: number, lo: number, hi: number): string {
  return `(${lo} + (${draw(key, stream)} % ${hi - lo + 1})::BIGINT)`;
}

function pick(values: string[], key: string, stream: number): string {
  const list = `[${values.map((v) => `'${v.replaceAll("'", "''")}'`).join(', ')}]`;
  return `${list}[${uniform(key, stream, 1, values.length)}]`;
}

function money(key: string, stream: number, loCents: number, hiCents: number): string {
  return `CAST(${uniform(key, stream, loCents, hiCents)} / 100 AS DECIMAL(15,2))`;
}

function comment(key: string, stream: number, minLength: number, maxLength: number): string {
  return `trim(substr($1, ${uniform(key, stream, 1, TEXT_POOL_BYTES - maxLength)}, ${uniform(key, stream + 1, minLength, maxLength)}))`;
}

function padded(prefix: string, key: string): string {
  return `'${prefix}' || lpad(CAST(${key} AS VARCHAR), 9, '0')`;
}

function phone(nationKey: string, key: string, stream: number): string {
  return `CAST(${nationKey} + 10 AS VARCHAR) || '-' || ${uniform(key, stream, 100, 999)} || '-' || ${uniform(key, stream + 1, 100, 999)} || '-' || ${uniform(key, stream + 2, 1000, 9999)}`;
}

/** A v-string address of 10 to 40 characters. */
function address(key: string, stream: number): string {
  return `substr(replace(md5(CAST(${key} AS VARCHAR) || '-${stream}') || md5(CAST(${key} AS VARCHAR) || '+${stream}'), 'a', ' '), 1, ${uniform(key, stream, 10, 40)})`;
}

export function regionSql(): string {
  const rows = REGIONS.map((name, key) => `(${key}, '${name}')`).join(', ');
  return `SELECT CAST(k AS INTEGER) AS r_regionkey, name AS r_name, ${comment('k', 1, 31, 115)} AS r_comment
            FROM (VALUES ${rows}) v(k, name) ORDER BY k`;
}

export function nationSql(): string {
  const rows = NATIONS.map(([name, region], key) => `(${key}, '${name}', ${region})`).join(', ');
  return `SELECT CAST(k AS INTEGER) AS n_nationkey, name AS n_name, CAST(region AS INTEGER) AS n_regionkey,
                 ${comment('k', 1, 31, 114)} AS n_comment
            FROM (VALUES ${rows}) v(k, name, region) ORDER BY k`;
}

export function supplierSql(from: number, to: number): string {
  const nation = uniform('k', 2, 0, 24);
  // Clause 4.2.3: SF*5 suppliers complain and SF*5 recommend (one in 2,000 each); Q16 looks for them.
  const marker = `${draw('k', 9)} % 2000`;
  const base = comment('k', 7, 25, 100);
  return `SELECT k AS s_suppkey, ${padded('Supplier#', 'k')} AS s_name, ${address('k', 1)} AS s_address,
                 CAST(${nation} AS INTEGER) AS s_nationkey, ${phone(nation, 'k', 3)} AS s_phone,
                 ${money('k', 6, -99_999, 999_999)} AS s_acctbal,
                 CASE ${marker} WHEN 0 THEN 'Customer ' || ${comment('k', 10, 5, 20)} || ' Complaints ' || ${base}
                                WHEN 1 THEN 'Customer ' || ${comment('k', 10, 5, 20)} || ' Recommends ' || ${base}
                                ELSE ${base} END AS s_comment
            FROM range(${from + 1}, ${to + 1}) t(k)`;
}

/** p_retailprice by the specification's formula, in cents. */
function retailPriceCents(partKey: string): string {
  return `(90000 + ((${partKey} // 10) % 20001) + 100 * (${partKey} % 1000))`;
}

export function partSql(from: number, to: number): string {
  // Five distinct colours: a start and a step coprime with 92 (odd, not a multiple of 23).
  const start = `(${draw('k', 1)} % 92)::BIGINT`;
  const odd = `(1 + 2 * (${draw('k', 2)} % 45))`;
  const step = `(CASE WHEN ${odd} % 23 = 0 THEN ${odd} + 2 ELSE ${odd} END)::BIGINT`;
  const colorList = `[${COLORS.map((c) => `'${c}'`).join(', ')}]`;
  const name = [0, 1, 2, 3, 4].map((i) => `${colorList}[1 + (${start} + ${i} * ${step}) % 92]`).join(` || ' ' || `);
  const manufacturer = uniform('k', 3, 1, 5);
  return `SELECT k AS p_partkey, ${name} AS p_name, 'Manufacturer#' || ${manufacturer} AS p_mfgr,
                 'Brand#' || ${manufacturer} || ${uniform('k', 4, 1, 5)} AS p_brand,
                 ${pick(TYPE_SYLLABLE_1, 'k', 5)} || ' ' || ${pick(TYPE_SYLLABLE_2, 'k', 6)} || ' ' || ${pick(TYPE_SYLLABLE_3, 'k', 7)} AS p_type,
                 CAST(${uniform('k', 8, 1, 50)} AS INTEGER) AS p_size,
                 ${pick(CONTAINER_SYLLABLE_1, 'k', 9)} || ' ' || ${pick(CONTAINER_SYLLABLE_2, 'k', 10)} AS p_container,
                 CAST(${retailPriceCents('k')} / 100 AS DECIMAL(15,2)) AS p_retailprice,
                 ${comment('k', 11, 5, 22)} AS p_comment
            FROM range(${from + 1}, ${to + 1}) t(k)`;
}

/** The i-th (0..3) supplier of a part, by the specification's formula. */
function supplierOfPart(partKey: string, i: string, suppliers: number): string {
  return `((${partKey} + ${i} * (${Math.floor(suppliers / 4)} + (${partKey} - 1) // ${suppliers})) % ${suppliers} + 1)`;
}

export function partsuppSql(fromPart: number, toPart: number, c: Cardinalities): string {
  return `SELECT k AS ps_partkey, ${supplierOfPart('k', 'i', c.suppliers)} AS ps_suppkey,
                 CAST(${uniform('k * 4 + i', 1, 1, 9999)} AS INTEGER) AS ps_availqty,
                 ${money('k * 4 + i', 2, 100, 100_000)} AS ps_supplycost,
                 ${comment('k * 4 + i', 3, 49, 198)} AS ps_comment
            FROM (SELECT j // 4 + 1 AS k, j % 4 AS i FROM range(${fromPart * 4}, ${toPart * 4}) t(j))`;
}

export function customerSql(from: number, to: number): string {
  const nation = uniform('k', 2, 0, 24);
  return `SELECT k AS c_custkey, ${padded('Customer#', 'k')} AS c_name, ${address('k', 1)} AS c_address,
                 CAST(${nation} AS INTEGER) AS c_nationkey, ${phone(nation, 'k', 3)} AS c_phone,
                 ${money('k', 6, -99_999, 999_999)} AS c_acctbal, ${pick(SEGMENTS, 'k', 7)} AS c_mktsegment,
                 ${comment('k', 8, 29, 116)} AS c_comment
            FROM range(${from + 1}, ${to + 1}) t(k)`;
}

/** Order keys are sparse as in dbgen: the first 8 of every 32 keys. */
const ORDER_KEY = `((i // 8) * 32 + i % 8 + 1)`;
const ORDER_DATE = `${START_DATE} + CAST(${uniform(ORDER_KEY, 1, 0, ORDER_DAYS)} AS INTEGER)`;
/** 1 to 7 lines per order. */
const LINE_COUNT = uniform(ORDER_KEY, 2, 1, 7);

/** The values of line `n` of order `o`, shared by lineitem and by the order totals. */
function lineValues(o: string, n: string, orderdate: string, c: Cardinalities) {
  const line = `(${o} * 8 + ${n})`;
  const partkey = uniform(line, 1, 1, c.parts);
  const quantity = uniform(line, 3, 1, 50);
  const shipdate = `(${orderdate} + CAST(${uniform(line, 4, 1, 121)} AS INTEGER))`;
  return {
    line,
    partkey,
    suppkey: supplierOfPart(partkey, uniform(line, 2, 0, 3), c.suppliers),
    quantity,
    extendedprice: `CAST(${quantity} * ${retailPriceCents(partkey)} / 100 AS DECIMAL(15,2))`,
    discount: `CAST(${uniform(line, 6, 0, 10)} / 100 AS DECIMAL(15,2))`,
    tax: `CAST(${uniform(line, 7, 0, 8)} / 100 AS DECIMAL(15,2))`,
    shipdate,
    commitdate: `(${orderdate} + CAST(${uniform(line, 5, 30, 90)} AS INTEGER))`,
  };
}

/**
 * Lines of orders with index [from, to): one slot per possible line (7 per order), kept when the
 * order has that many lines. A filtered range keeps its order, so no sort is needed.
 */
export function lineitemSql(from: number, to: number, c: Cardinalities): string {
  const v = lineValues('o', 'n', 'orderdate', c);
  return `WITH slots AS (SELECT j // 7 AS i, j % 7 + 1 AS n FROM range(${from * 7}, ${to * 7}) t(j)),
               lines AS (SELECT ${ORDER_KEY} AS o, n, ${ORDER_DATE} AS orderdate FROM slots WHERE n <= ${LINE_COUNT}),
               l AS (SELECT o, n, ${v.line} AS line, ${v.partkey} AS partkey, ${v.quantity} AS quantity, ${v.discount} AS discount,
                            ${v.tax} AS tax, ${v.shipdate} AS shipdate, ${v.commitdate} AS commitdate, ${v.suppkey} AS suppkey
                       FROM lines),
               d AS (SELECT *, shipdate + CAST(${uniform('line', 8, 1, 30)} AS INTEGER) AS receiptdate FROM l)
          SELECT o AS l_orderkey, partkey AS l_partkey, suppkey AS l_suppkey, CAST(n AS INTEGER) AS l_linenumber,
                 CAST(quantity AS DECIMAL(15,2)) AS l_quantity,
                 CAST(quantity * ${retailPriceCents('partkey')} / 100 AS DECIMAL(15,2)) AS l_extendedprice,
                 discount AS l_discount, tax AS l_tax,
                 CASE WHEN receiptdate <= ${CURRENT_DATE} THEN ${pick(['R', 'A'], 'line', 9)} ELSE 'N' END AS l_returnflag,
                 CASE WHEN shipdate > ${CURRENT_DATE} THEN 'O' ELSE 'F' END AS l_linestatus,
                 shipdate AS l_shipdate, commitdate AS l_commitdate, receiptdate AS l_receiptdate,
                 ${pick(SHIP_INSTRUCTIONS, 'line', 10)} AS l_shipinstruct, ${pick(SHIP_MODES, 'line', 11)} AS l_shipmode,
                 ${comment('line', 12, 10, 43)} AS l_comment
            FROM d`;
}

/** Orders with index [from, to); totals and status come from their lines, recomputed per order. */
export function ordersSql(from: number, to: number, c: Cardinalities): string {
  // o_custkey skips every third customer: the r-th key that is not a multiple of 3.
  const r = uniform('o', 3, 0, Math.max(0, Math.floor((c.customers * 2) / 3) - 1));
  const v = lineValues('o', 'n', 'orderdate', c);
  const overLines = (expr: string) => `[${expr} FOR n IN range(1, lines + 1)]`;
  return `WITH h AS (SELECT ${ORDER_KEY} AS o, ${ORDER_DATE} AS orderdate, ${LINE_COUNT} AS lines FROM range(${from}, ${to}) t(i))
          SELECT o AS o_orderkey, (${r} // 2) * 3 + ${r} % 2 + 1 AS o_custkey,
                 CASE WHEN list_bool_and(${overLines(`${v.shipdate} > ${CURRENT_DATE}`)}) THEN 'O'
                      WHEN list_bool_and(${overLines(`${v.shipdate} <= ${CURRENT_DATE}`)}) THEN 'F' ELSE 'P' END AS o_orderstatus,
                 CAST(list_sum(${overLines(`${v.extendedprice} * (1 + ${v.tax}) * (1 - ${v.discount})`)}) AS DECIMAL(15,2)) AS o_totalprice,
                 orderdate AS o_orderdate, ${pick(PRIORITIES, 'o', 4)} AS o_orderpriority,
                 ${padded('Clerk#', uniform('o', 5, 1, Math.max(1, Math.round(c.suppliers / 10))))} AS o_clerk,
                 CAST(0 AS INTEGER) AS o_shippriority, ${comment('o', 6, 19, 78)} AS o_comment
            FROM h`;
}
