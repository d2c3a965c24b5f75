/**
 * Random SQL over the TPC-H tables, for comparing Quire's answers with DuckDB's: joins of every
 * type along the schema's keys, filters, grouping with HAVING and ORDER BY … LIMIT, DISTINCT, window
 * functions, EXISTS / IN / scalar subqueries (correlated or not), set operations and CTEs. Every
 * ORDER BY … LIMIT orders by enough columns that the rows it keeps are determined.
 */

/** A column the queries use, with the kind of literal it is compared with. */
type Column = { name: string; kind: 'int' | 'num' | 'str' | 'date' };
/** The tables and the columns the queries use. */
const TABLES: Record<string, Column[]> = {
  nation: [{ name: 'n_nationkey', kind: 'int' }, { name: 'n_name', kind: 'str' }, { name: 'n_regionkey', kind: 'int' }],
  region: [{ name: 'r_regionkey', kind: 'int' }, { name: 'r_name', kind: 'str' }],
  supplier: [{ name: 's_suppkey', kind: 'int' }, { name: 's_name', kind: 'str' }, { name: 's_nationkey', kind: 'int' }, { name: 's_acctbal', kind: 'num' }],
  customer: [{ name: 'c_custkey', kind: 'int' }, { name: 'c_nationkey', kind: 'int' }, { name: 'c_acctbal', kind: 'num' }, { name: 'c_mktsegment', kind: 'str' }],
  part: [{ name: 'p_partkey', kind: 'int' }, { name: 'p_brand', kind: 'str' }, { name: 'p_type', kind: 'str' }, { name: 'p_size', kind: 'int' }, { name: 'p_retailprice', kind: 'num' }, { name: 'p_container', kind: 'str' }],
  partsupp: [{ name: 'ps_partkey', kind: 'int' }, { name: 'ps_suppkey', kind: 'int' }, { name: 'ps_availqty', kind: 'int' }, { name: 'ps_supplycost', kind: 'num' }],
  orders: [{ name: 'o_orderkey', kind: 'int' }, { name: 'o_custkey', kind: 'int' }, { name: 'o_orderstatus', kind: 'str' }, { name: 'o_totalprice', kind: 'num' }, { name: 'o_orderdate', kind: 'date' }, { name: 'o_orderpriority', kind: 'str' }],
  lineitem: [{ name: 'l_orderkey', kind: 'int' }, { name: 'l_partkey', kind: 'int' }, { name: 'l_suppkey', kind: 'int' }, { name: 'l_linenumber', kind: 'int' }, { name: 'l_quantity', kind: 'num' }, { name: 'l_extendedprice', kind: 'num' }, { name: 'l_discount', kind: 'num' }, { name: 'l_returnflag', kind: 'str' }, { name: 'l_shipdate', kind: 'date' }, { name: 'l_shipmode', kind: 'str' }],
};
/** Foreign keys: the joins the queries make. */
const JOIN_KEYS: [string, string, string, string][] = [
  ['nation', 'n_regionkey', 'region', 'r_regionkey'], ['supplier', 's_nationkey', 'nation', 'n_nationkey'], ['customer', 'c_nationkey', 'nation', 'n_nationkey'],
  ['orders', 'o_custkey', 'customer', 'c_custkey'], ['lineitem', 'l_orderkey', 'orders', 'o_orderkey'], ['lineitem', 'l_partkey', 'part', 'p_partkey'],
  ['lineitem', 'l_suppkey', 'supplier', 's_suppkey'], ['partsupp', 'ps_partkey', 'part', 'p_partkey'], ['partsupp', 'ps_suppkey', 'supplier', 's_suppkey'],
];
/** Values that occur in the data (or are LIKE patterns over it), so filters keep some rows. */
const SAMPLE_STRINGS: Record<string, string[]> = {
  n_name: ['GERMANY', 'FRANCE', 'BRAZIL', 'CHINA'], r_name: ['ASIA', 'EUROPE', 'AMERICA'], c_mktsegment: ['BUILDING', 'AUTOMOBILE', 'MACHINERY'],
  p_brand: ['Brand#12', 'Brand#23', 'Brand#45'], p_type: ['%BRASS', 'PROMO%', '%STEEL%'], p_container: ['SM BOX', 'LG CASE', 'MED BAG'],
  o_orderstatus: ['F', 'O', 'P'], o_orderpriority: ['1-URGENT', '2-HIGH', '5-LOW'], l_returnflag: ['R', 'A', 'N'], l_shipmode: ['AIR', 'MAIL', 'SHIP', 'TRUCK'], s_name: ['Supplier#000000001'],
};
const NUMBER_RANGES: Record<string, [number, number]> = {
  s_acctbal: [-999, 9999], c_acctbal: [-999, 9999], p_retailprice: [900, 2000], ps_supplycost: [1, 1000], o_totalprice: [1000, 400000],
  l_quantity: [1, 50], l_extendedprice: [1000, 90000], l_discount: [0, 0.1],
};
const INTEGER_RANGES: Record<string, [number, number]> = { n_nationkey: [0, 24], n_regionkey: [0, 4], r_regionkey: [0, 4], p_size: [1, 50], ps_availqty: [1, 9999], l_linenumber: [1, 7] };

/** A seeded generator (mulberry32), so a failing query is found again from its seed and index. */
export function randomSource(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Returns a function that makes one random query per call. */
export function randomQueries(seed: number): () => string {
  const rand = randomSource(seed);
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;

  function tablesJoined(): { from: string; cols: Column[]; tables: string[] } {
    const n = pick([1, 1, 2, 2, 3, 3, 4]);
    const start = pick(Object.keys(TABLES));
    const tables = [start];
    let from = start;
    const types = ['JOIN', 'JOIN', 'JOIN', 'LEFT JOIN', 'RIGHT JOIN', 'FULL JOIN'];
    for (let i = 1; i < n; i++) {
      const options = JOIN_KEYS.filter(([a, , b]) => (tables.includes(a) && !tables.includes(b)) || (tables.includes(b) && !tables.includes(a)));
      if (!options.length) break;
      const [a, ak, b, bk] = pick(options);
      const next = tables.includes(a) ? b : a;
      tables.push(next);
      from += ` ${pick(types)} ${next} ON ${ak} = ${bk}`;
    }
    return { from, cols: tables.flatMap((t) => TABLES[t]!), tables };
  }

  function literal(c: Column): string {
    if (c.kind === 'str') return `'${pick(SAMPLE_STRINGS[c.name] ?? ['x']).replace(/%/g, '')}'`;
    if (c.kind === 'date') return `DATE '${1992 + Math.floor(rand() * 7)}-0${1 + Math.floor(rand() * 9)}-15'`;
    if (c.kind === 'num') { const [lo, hi] = NUMBER_RANGES[c.name] ?? [0, 100]; return (lo + rand() * (hi - lo)).toFixed(2); }
    const r = INTEGER_RANGES[c.name]; if (r) return String(r[0] + Math.floor(rand() * (r[1] - r[0] + 1)));
    return String(Math.floor(rand() * 60000));
  }
  function predicate(cols: Column[]): string {
    const c = pick(cols);
    if (c.kind === 'str') {
      const vs = SAMPLE_STRINGS[c.name];
      if (vs && vs.some((v) => v.includes('%')) ) return `${c.name} ${chance(0.3) ? 'NOT ' : ''}LIKE '${pick(vs)}'`;
      if (chance(0.3)) return `${c.name} IN (${[literal(c), literal(c)].join(', ')})`;
      if (chance(0.2)) return `${c.name} IS NULL`;
      return `${c.name} ${pick(['=', '<>', '<', '>='])} ${literal(c)}`;
    }
    if (chance(0.2)) return `${c.name} BETWEEN ${literal(c)} AND ${literal(c)}`;
    if (chance(0.1)) return `${c.name} IS NOT NULL`;
    return `${c.name} ${pick(['<', '<=', '>', '>=', '=', '<>'])} ${literal(c)}`;
  }
  function where(cols: Column[]): string {
    const n = pick([0, 1, 1, 2, 3]);
    if (!n) return '';
    const ps = Array.from({ length: n }, () => predicate(cols));
    return ` WHERE ${ps.join(pick([' AND ', ' AND ', ' OR ']))}`;
  }
  function numExpr(cols: Column[]): string {
    const nums = cols.filter((c) => c.kind === 'num' || c.kind === 'int');
    const a = pick(nums).name;
    if (chance(0.3)) return `${a} * ${pick(['2', '(1 - 0.05)', '0.5'])}`;
    if (chance(0.15)) return `CASE WHEN ${predicate(cols)} THEN ${a} ELSE ${pick(['0', 'NULL'])} END`;
    if (chance(0.1)) return `coalesce(${a}, 0)`;
    return a;
  }
  function agg(cols: Column[]): string {
    const f = pick(['sum', 'avg', 'min', 'max', 'count', 'count_distinct', 'count_star', 'min_str']);
    if (f === 'count_star') return 'count(*)';
    if (f === 'count_distinct') return `count(DISTINCT ${pick(cols).name})`;
    if (f === 'min_str') { const s = cols.filter((c) => c.kind !== 'num'); return `${pick(['min', 'max'])}(${pick(s.length ? s : cols).name})`; }
    if (f === 'count') return `count(${pick(cols).name})`;
    return `${f}(${numExpr(cols)})`;
  }

  function aggregateQuery(): string {
    const { from, cols } = tablesJoined();
    const groupCols = cols.filter((c) => c.kind !== 'num');
    const g = Array.from({ length: pick([0, 1, 1, 2]) }, () => pick(groupCols).name).filter((v, i, a) => a.indexOf(v) === i);
    const aggs = Array.from({ length: pick([1, 2, 3]) }, (_, i) => `${agg(cols)} AS a${i}`);
    let sql = `SELECT ${[...g, ...aggs].join(', ')} FROM ${from}${where(cols)}`;
    if (g.length) sql += ` GROUP BY ${g.join(', ')}`;
    if (g.length && chance(0.25)) sql += ` HAVING count(*) > ${pick([1, 2, 5, 10])}`;
    if (g.length && chance(0.4)) sql += ` ORDER BY ${[...g, ...aggs.map((_, i) => `a${i}`)].map((x) => `${x} ${pick(['ASC', 'DESC'])} NULLS ${pick(['FIRST', 'LAST'])}`).join(', ')} LIMIT ${pick([1, 5, 10, 100])}`;
    return sql;
  }
  function projectQuery(): string {
    const { from, cols } = tablesJoined();
    const sel = Array.from({ length: pick([1, 2, 3]) }, () => pick(cols).name).filter((v, i, a) => a.indexOf(v) === i);
    const distinct = chance(0.3) ? 'DISTINCT ' : '';
    let sql = `SELECT ${distinct}${sel.join(', ')} FROM ${from}${where(cols)}`;
    if (chance(0.5)) sql += ` ORDER BY ${sel.map((s) => `${s} ${pick(['ASC', 'DESC'])}`).join(', ')}${distinct ? '' : ', ' + cols.filter((c) => !sel.includes(c.name)).map((c) => c.name).join(', ')} LIMIT ${pick([3, 20, 500])}`;
    return sql;
  }
  function windowQuery(): string {
    const { from, cols } = tablesJoined();
    const part = pick(cols.filter((c) => c.kind !== 'num')).name;
    const order = cols.map((c) => c.name).join(', ');
    const f = pick([`row_number() OVER (PARTITION BY ${part} ORDER BY ${order})`, `rank() OVER (PARTITION BY ${part} ORDER BY ${pick(cols).name})`,
      `sum(${numExpr(cols)}) OVER (PARTITION BY ${part})`, `lag(${pick(cols).name}) OVER (PARTITION BY ${part} ORDER BY ${order})`, `count(*) OVER (PARTITION BY ${part})`]);
    return `SELECT ${part}, ${pick(cols).name}, ${f} AS w FROM ${from}${where(cols)}`;
  }
  function subqueryQuery(): string {
    const [a, ak, b, bk] = pick(JOIN_KEYS);
    const [outer, ok, inner, ik] = chance(0.5) ? [a, ak, b, bk] : [b, bk, a, ak];
    const oc = TABLES[outer]!, ic = TABLES[inner]!;
    const form = pick(['exists', 'notexists', 'in', 'notin', 'scalar', 'correlated']);
    const sel = Array.from({ length: 2 }, () => pick(oc).name).filter((v, i, x) => x.indexOf(v) === i).join(', ');
    const innerWhere = where(ic).replace(' WHERE ', '');
    const iw = innerWhere ? ` AND (${innerWhere})` : '';
    switch (form) {
      case 'exists': return `SELECT ${sel} FROM ${outer} WHERE EXISTS (SELECT 1 FROM ${inner} WHERE ${ik} = ${ok}${iw})`;
      case 'notexists': return `SELECT ${sel} FROM ${outer} WHERE NOT EXISTS (SELECT 1 FROM ${inner} WHERE ${ik} = ${ok}${iw})`;
      case 'in': return `SELECT ${sel} FROM ${outer} WHERE ${ok} IN (SELECT ${ik} FROM ${inner}${innerWhere ? ' WHERE ' + innerWhere : ''})`;
      case 'notin': return `SELECT ${sel} FROM ${outer} WHERE ${ok} NOT IN (SELECT ${ik} FROM ${inner}${innerWhere ? ' WHERE ' + innerWhere : ''})`;
      case 'scalar': { const n = pick(ic.filter((c) => c.kind === 'num' || c.kind === 'int')).name; const m = pick(oc.filter((c) => c.kind === 'num' || c.kind === 'int')).name;
        return `SELECT ${sel} FROM ${outer} WHERE ${m} > (SELECT avg(${n}) FROM ${inner}${innerWhere ? ' WHERE ' + innerWhere : ''})`; }
      default: { const n = pick(ic.filter((c) => c.kind === 'num' || c.kind === 'int')).name;
        return `SELECT ${sel}, (SELECT ${pick(['max', 'min', 'count', 'sum'])}(${n}) FROM ${inner} WHERE ${ik} = ${ok}) AS s FROM ${outer}${where(oc)}`; }
    }
  }
  function setQuery(): string {
    const t = pick(Object.keys(TABLES));
    const c = pick(TABLES[t]!).name;
    const op = pick(['UNION', 'UNION ALL', 'EXCEPT', 'INTERSECT', 'EXCEPT ALL', 'INTERSECT ALL']);
    return `SELECT ${c} FROM ${t}${where(TABLES[t]!)} ${op} SELECT ${c} FROM ${t}${where(TABLES[t]!)}`;
  }
  function cteQuery(): string {
    const inner = aggregateQuery();
    return `WITH q AS (${inner}) SELECT * FROM q${chance(0.5) ? ' WHERE a0 IS NOT NULL' : ''}`;
  }

  const GENERATORS = [aggregateQuery, aggregateQuery, projectQuery, windowQuery, subqueryQuery, subqueryQuery, setQuery, cteQuery];
  return () => pick(GENERATORS)();
}
