/**
 * A tiny TPC-H-shaped dataset built with DuckDB SQL over range(): the real schema and value domains
 * (dates, segments, brands, types, containers, nations, ...) so the 22 queries select real rows,
 * at a few thousand rows so tests stay fast. Deterministic: values come from hash(key, stream).
 */
const u = (key: string, stream: number, lo: number, hi: number) => `(${lo} + (hash(${key}, ${stream}) % ${hi - lo + 1})::BIGINT)`;
const pick = (values: string[], key: string, stream: number) =>
  `[${values.map((v) => `'${v}'`).join(', ')}][${u(key, stream, 1, values.length)}]`;
const money = (key: string, stream: number, lo: number, hi: number) => `CAST(${u(key, stream, lo, hi)} / 100 AS DECIMAL(15,2))`;
const words = ['furiously', 'special', 'requests', 'carefully', 'final', 'deposits', 'ironic', 'packages', 'Customer', 'Complaints', 'quickly', 'pending', 'accounts'];
const text = (key: string, stream: number) =>
  `${pick(words, key, stream)} || ' ' || ${pick(words, key, stream + 1)} || ' ' || ${pick(words, key, stream + 2)} || ' ' || ${pick(words, key, stream + 3)}`;

const NATIONS: [string, number][] = [
  ['ALGERIA', 0], ['ARGENTINA', 1], ['BRAZIL', 1], ['CANADA', 1], ['EGYPT', 4], ['ETHIOPIA', 0], ['FRANCE', 3], ['GERMANY', 3],
  ['INDIA', 2], ['INDONESIA', 2], ['IRAN', 4], ['IRAQ', 4], ['JAPAN', 2], ['JORDAN', 4], ['KENYA', 0], ['MOROCCO', 0],
  ['MOZAMBIQUE', 0], ['PERU', 1], ['CHINA', 2], ['ROMANIA', 3], ['SAUDI ARABIA', 4], ['VIETNAM', 2], ['RUSSIA', 3],
  ['UNITED KINGDOM', 3], ['UNITED STATES', 1],
];
const TYPES = ['STANDARD', 'SMALL', 'MEDIUM', 'LARGE', 'ECONOMY', 'PROMO'];
const FINISH = ['ANODIZED', 'BURNISHED', 'PLATED', 'POLISHED', 'BRUSHED'];
const METAL = ['TIN', 'NICKEL', 'BRASS', 'STEEL', 'COPPER'];
const CONTAINERS = ['SM CASE', 'SM BOX', 'SM PACK', 'SM PKG', 'MED BAG', 'MED BOX', 'MED PKG', 'MED PACK', 'LG CASE', 'LG BOX', 'LG PACK', 'LG PKG', 'JUMBO BOX', 'WRAP CASE'];
const COLORS = ['forest', 'green', 'almond', 'antique', 'blue', 'lime', 'navy', 'red', 'tan', 'khaki'];

export const TINY_TPCH: Record<string, string> = {
  region: `SELECT i::INTEGER AS r_regionkey, ['AFRICA','AMERICA','ASIA','EUROPE','MIDDLE EAST'][i + 1] AS r_name, ${text('i', 1)} AS r_comment FROM range(5) t(i)`,
  nation: `SELECT i::INTEGER AS n_nationkey, n.name AS n_name, n.region::INTEGER AS n_regionkey, ${text('i', 1)} AS n_comment
    FROM (SELECT unnest(range(25)) AS i, unnest([${NATIONS.map(([n]) => `'${n}'`).join(', ')}]) AS name, unnest([${NATIONS.map(([, r]) => r).join(', ')}]) AS region) n`,
  supplier: `SELECT i::INTEGER AS s_suppkey, 'Supplier#' || lpad(i::VARCHAR, 9, '0') AS s_name, md5(i::VARCHAR) AS s_address,
    (i % 25)::INTEGER AS s_nationkey, ((i % 25) + 10)::VARCHAR || '-555-' || lpad(i::VARCHAR, 4, '0') AS s_phone,
    ${money('i', 2, -99999, 999999)} AS s_acctbal, ${text('i', 3)} AS s_comment FROM range(1, 41) t(i)`,
  part: `SELECT i::INTEGER AS p_partkey, ${pick(COLORS, 'i', 1)} || ' ' || ${pick(COLORS, 'i', 2)} || ' ' || ${pick(COLORS, 'i', 3)} AS p_name,
    'Manufacturer#' || ${u('i', 4, 1, 5)} AS p_mfgr, 'Brand#' || ${u('i', 4, 1, 5)} || ${u('i', 5, 1, 5)} AS p_brand,
    ${pick(TYPES, 'i', 6)} || ' ' || ${pick(FINISH, 'i', 7)} || ' ' || ${pick(METAL, 'i', 8)} AS p_type,
    ${u('i', 9, 1, 50)}::INTEGER AS p_size, ${pick(CONTAINERS, 'i', 10)} AS p_container,
    CAST((90000 + (i % 20001) + 100 * (i % 1000)) / 100 AS DECIMAL(15,2)) AS p_retailprice, ${text('i', 11)} AS p_comment FROM range(1, 201) t(i)`,
  partsupp: `SELECT p::INTEGER AS ps_partkey, ((p + j * 10) % 40 + 1)::INTEGER AS ps_suppkey, ${u('p * 4 + j', 1, 1, 9999)}::INTEGER AS ps_availqty,
    ${money('p * 4 + j', 2, 100, 100000)} AS ps_supplycost, ${text('p * 4 + j', 3)} AS ps_comment FROM range(1, 201) a(p), range(4) b(j)`,
  customer: `SELECT i::INTEGER AS c_custkey, 'Customer#' || lpad(i::VARCHAR, 9, '0') AS c_name, md5(i::VARCHAR) AS c_address,
    (i % 25)::INTEGER AS c_nationkey, ((i % 25) + 10)::VARCHAR || '-555-' || lpad(i::VARCHAR, 4, '0') AS c_phone,
    ${money('i', 2, -99999, 999999)} AS c_acctbal, ${pick(['BUILDING', 'AUTOMOBILE', 'MACHINERY', 'HOUSEHOLD', 'FURNITURE'], 'i', 3)} AS c_mktsegment,
    ${text('i', 4)} AS c_comment FROM range(1, 151) t(i)`,
  orders: `SELECT i::INTEGER AS o_orderkey, (${u('i', 1, 0, 49)} * 3 + ${u('i', 2, 1, 2)})::INTEGER AS o_custkey,
    ${pick(['F', 'O', 'P'], 'i', 3)} AS o_orderstatus, ${money('i', 4, 100000, 50000000)} AS o_totalprice,
    (DATE '1992-01-01' + ${u('i', 5, 0, 2405)}::INTEGER) AS o_orderdate,
    ${pick(['1-URGENT', '2-HIGH', '3-MEDIUM', '4-NOT SPECIFIED', '5-LOW'], 'i', 6)} AS o_orderpriority,
    'Clerk#' || lpad(${u('i', 7, 1, 100)}::VARCHAR, 9, '0') AS o_clerk, 0::INTEGER AS o_shippriority, ${text('i', 8)} AS o_comment FROM range(1, 1501) t(i)`,
  lineitem: `SELECT o_orderkey AS l_orderkey, pk::INTEGER AS l_partkey, ((pk + ${u('o_orderkey * 8 + n', 2, 0, 3)} * 10) % 40 + 1)::INTEGER AS l_suppkey,
    n::INTEGER AS l_linenumber, CAST(q AS DECIMAL(15,2)) AS l_quantity, CAST(q * (900 + pk % 100) AS DECIMAL(15,2)) AS l_extendedprice,
    CAST(${u('o_orderkey * 8 + n', 3, 0, 10)} / 100 AS DECIMAL(15,2)) AS l_discount, CAST(${u('o_orderkey * 8 + n', 4, 0, 8)} / 100 AS DECIMAL(15,2)) AS l_tax,
    CASE WHEN ship <= DATE '1995-06-17' THEN ${pick(['R', 'A'], 'o_orderkey * 8 + n', 5)} ELSE 'N' END AS l_returnflag,
    CASE WHEN ship > DATE '1995-06-17' THEN 'O' ELSE 'F' END AS l_linestatus,
    ship AS l_shipdate, (o_orderdate + ${u('o_orderkey * 8 + n', 6, 30, 90)}::INTEGER) AS l_commitdate,
    (ship + ${u('o_orderkey * 8 + n', 7, 1, 30)}::INTEGER) AS l_receiptdate,
    ${pick(['DELIVER IN PERSON', 'COLLECT COD', 'NONE', 'TAKE BACK RETURN'], 'o_orderkey * 8 + n', 8)} AS l_shipinstruct,
    ${pick(['REG AIR', 'AIR', 'RAIL', 'SHIP', 'TRUCK', 'MAIL', 'FOB'], 'o_orderkey * 8 + n', 9)} AS l_shipmode, ${text('o_orderkey * 8 + n', 10)} AS l_comment
    FROM (SELECT o_orderkey, o_orderdate, n, ${u('o_orderkey * 8 + n', 1, 1, 200)} AS pk, ${u('o_orderkey * 8 + n', 11, 1, 50)} AS q,
      (o_orderdate + ${u('o_orderkey * 8 + n', 12, 1, 121)}::INTEGER) AS ship
      FROM orders, range(1, 8) r(n) WHERE n <= ${u('o_orderkey', 13, 1, 7)})`,
};

/** Creation order: lineitem is derived from orders. */
export const TINY_TPCH_TABLES = ['region', 'nation', 'supplier', 'part', 'partsupp', 'customer', 'orders', 'lineitem'];
