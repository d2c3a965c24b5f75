/**
 * An immutable, lazy DataFrame. Transformations return new DataFrames and are analyzed at once
 * (a missing column throws AnalysisError synchronously); SQL-text expressions are parsed by DuckDB,
 * so a DataFrame using one finishes its analysis asynchronously and reports errors when awaited or
 * run. Actions return Promises.
 */
import type { Table } from 'apache-arrow';
import type { WrittenOutput } from '../cluster/types.js';
import { aggregatePlan, aliasPlan, distinctPlan, filterPlan, limitPlan, repartitionPlan, sortPlan, unionPlan } from '../plan/build.js';
import { AnalysisError } from '../plan/errors.js';
import { tryResolveColumn } from '../plan/schema.js';
import type { Expr, LogicalPlan, Schema, SortKey } from '../plan/types.js';
import { bindExpr, columnOrigin } from './bind.js';
import { Column, columnArg, columnNamed } from './column.js';
import type { ActionOptions, DataFrameHost } from './host.js';
import { buildJoin, joinType } from './join-builder.js';
import { tableToRows, type Row } from './rows.js';
import { dropDuplicatesPlan, dropPlan, renamePlan, withColumnPlan } from './reshape.js';
import { selectPlan } from './select-builder.js';
import { formatTable } from './show.js';
import { hasUnresolvedSql, resolveSqlText, sqlTextExpr } from './sql-text.js';
import { DataFrameWriter } from './writer.js';
import { GroupedData } from './grouped.js';

type ColumnLike = string | Column;
type PlanState = { plan: LogicalPlan } | { pending: Promise<LogicalPlan> };

let nextId = 1;

export class DataFrame {
  /** Identifies this DataFrame for `df.col()` references. */
  readonly id = nextId++;

  /** @internal Use the Session's readers and createDataFrame() to make DataFrames. */
  private state: PlanState;

  constructor(
    /** @internal */ readonly host: DataFrameHost,
    state: PlanState,
    /** Ids of DataFrames whose columns this one carries unchanged (for df.col() in joins). */
    private readonly lineage: ReadonlySet<number> = new Set(),
    /** Qualifiers that ancestor DataFrames' columns got in joins. */
    private readonly origins: ReadonlyMap<number, string> = new Map(),
  ) {
    this.state = state;
    // Once the analysis finishes the plan is known synchronously; a pending analysis error is
    // reported where the DataFrame is used, never as an unhandled rejection.
    if ('pending' in state) state.pending.then((plan) => (this.state = { plan }), () => undefined);
  }

  /** The analyzed logical plan; throws if SQL-text expressions are still being resolved (await `resolved()`). */
  get plan(): LogicalPlan {
    if ('plan' in this.state) return this.state.plan;
    throw new AnalysisError('this DataFrame uses SQL-text expressions that are still being analyzed: `await df.resolved()` first');
  }

  /** Waits until the analysis is complete (rejects with its AnalysisError if it fails); then `schema` and friends work. */
  async resolved(): Promise<DataFrame> {
    this.state = { plan: await this.logicalPlan() };
    return this;
  }

  /** @internal */
  async logicalPlan(): Promise<LogicalPlan> {
    return 'plan' in this.state ? this.state.plan : this.state.pending;
  }

  get schema(): Schema {
    return this.plan.schema;
  }
  get columns(): string[] {
    return this.schema.fields.map((f) => f.name);
  }
  get dtypes(): [string, string][] {
    return this.schema.fields.map((f) => [f.name, f.type]);
  }
  printSchema(): string {
    const text = ['root', ...this.schema.fields.map((f) => ` |-- ${f.name}: ${f.type} (nullable = ${f.nullable})`)].join('\n');
    console.log(text);
    return text;
  }

  /** A reference to this DataFrame's column, which stays unambiguous after joins (`a.col('id').eq(b.col('id'))`). */
  col(name: string): Column {
    if ('plan' in this.state && name !== '*') {
      const found = tryResolveColumn(this.state.plan.schema, { name });
      if (typeof found !== 'number') throw found.toError();
    }
    const column = columnNamed(name);
    columnOrigin.set(column.expr, this.id);
    return column;
  }

  private child(state: PlanState, origins = this.origins): DataFrame {
    return new DataFrame(this.host, state, new Set([...this.lineage, this.id]), origins);
  }

  /**
   * Builds a node over this DataFrame's plan. `exprs` are bound first, which needs DuckDB when one
   * holds SQL text; then the whole derivation runs once the input is known.
   */
  private derive(exprs: Expr[], build: (input: LogicalPlan, bound: Expr[]) => LogicalPlan): DataFrame {
    if ('plan' in this.state && !exprs.some(hasUnresolvedSql)) {
      const input = this.state.plan;
      return this.child({ plan: build(input, exprs.map((e) => bindExpr(e, input.schema, this.origins))) });
    }
    const pending = (async () => {
      const input = await this.logicalPlan();
      const resolved: Expr[] = [];
      for (const e of exprs) resolved.push(bindExpr(await resolveSqlText(e, input.schema, this.host.connection), input.schema, this.origins));
      return build(input, resolved);
    })();
    return this.child({ pending });
  }

  select(...cols: (ColumnLike | ColumnLike[])[]): DataFrame {
    return this.derive(cols.flat().map((c) => columnArg(c).expr), (input, exprs) => selectPlan(input, exprs));
  }

  /** Keeps rows matching a Column condition or a SQL predicate (`"delay > 10 AND origin = 'SFO'"`). */
  filter(condition: Column | string): DataFrame {
    const e = typeof condition === 'string' ? sqlTextExpr(condition) : condition.expr;
    return this.derive([e], (input, [predicate]) => filterPlan(input, predicate!));
  }
  where(condition: Column | string): DataFrame {
    return this.filter(condition);
  }

  /** Adds a column, or replaces the one with that name in place. */
  withColumn(name: string, value: Column): DataFrame {
    return this.derive([value.alias(name).expr], (input, [added]) => withColumnPlan(input, name, added!));
  }

  withColumnRenamed(existing: string, renamed: string): DataFrame {
    return this.derive([], (input) => renamePlan(input, existing, renamed));
  }

  drop(...names: string[]): DataFrame {
    return this.derive([], (input) => dropPlan(input, names));
  }

  groupBy(...cols: (ColumnLike | ColumnLike[])[]): GroupedData {
    return new GroupedData(this, cols.flat().map((c) => columnArg(c).expr));
  }
  groupby(...cols: (ColumnLike | ColumnLike[])[]): GroupedData {
    return this.groupBy(...cols);
  }

  /** @internal GroupedData's aggregation. */
  aggregateBy(keys: Expr[], aggs: Expr[]): DataFrame {
    if (aggs.length === 0 && keys.length === 0) throw new AnalysisError('agg() needs at least one aggregate');
    return this.derive([...keys, ...aggs], (input, bound) => aggregatePlan(input, bound.slice(0, keys.length), bound.slice(keys.length)));
  }

  /** Aggregates the whole DataFrame (`df.agg(max('delay'))`). */
  agg(...aggs: Column[]): DataFrame {
    return this.aggregateBy([], aggs.map((a) => a.expr));
  }

  join(other: DataFrame, on?: string | string[] | Column, how = 'inner'): DataFrame {
    const type = joinType(how);
    const onArg = on === undefined ? undefined : typeof on === 'string' ? [on] : Array.isArray(on) ? on : on.expr;
    const leftAlias = `df${this.id}`;
    const rightAlias = other.id === this.id ? `df${other.id}_r` : `df${other.id}`;
    const lineage = new Set([...this.lineage, this.id, ...other.lineage, other.id]);
    const build = (l: LogicalPlan, r: LogicalPlan, condition: string[] | Expr | undefined) =>
      buildJoin(
        { id: this.id, plan: l, lineage: new Set([...this.lineage, this.id]), aliasName: leftAlias },
        { id: other.id, plan: r, lineage: new Set([...other.lineage, other.id]), aliasName: rightAlias },
        type,
        condition,
      );
    const sqlInCondition = onArg !== undefined && !Array.isArray(onArg) && hasUnresolvedSql(onArg);
    if ('plan' in this.state && 'plan' in other.state && !sqlInCondition) {
      const built = build(this.state.plan, other.state.plan, onArg);
      return new DataFrame(this.host, { plan: built.plan }, lineage, new Map([...this.origins, ...other.origins, ...built.origins]));
    }
    // The qualifiers only exist once both plans are known, so later df.col() references use the names directly.
    const pending = (async () => {
      const [l, r] = [await this.logicalPlan(), await other.logicalPlan()];
      let condition = onArg;
      if (condition !== undefined && !Array.isArray(condition)) {
        condition = await resolveSqlText(condition, { fields: [...l.schema.fields, ...r.schema.fields] }, this.host.connection);
      }
      return build(l, r, condition).plan;
    })();
    return new DataFrame(this.host, { pending }, lineage, new Map([...this.origins, ...other.origins]));
  }

  crossJoin(other: DataFrame): DataFrame {
    return this.join(other, undefined, 'cross');
  }

  /** Sorts ascending (nulls first) unless a column says otherwise (`desc('x')`, `col('x').desc()`). */
  orderBy(...cols: (ColumnLike | ColumnLike[])[]): DataFrame {
    const columns = cols.flat().map(columnArg);
    return this.derive(columns.map((c) => c.expr), (input, bound) =>
      sortPlan(input, bound.map((expr, i): SortKey => ({ ...columns[i]!.toSortKey(), expr }))),
    );
  }
  sort(...cols: (ColumnLike | ColumnLike[])[]): DataFrame {
    return this.orderBy(...cols);
  }

  limit(n: number): DataFrame {
    return this.derive([], (input) => limitPlan(input, n));
  }

  distinct(): DataFrame {
    return this.derive([], (input) => distinctPlan(input));
  }

  /** Without columns, the same as distinct(); with columns, one (arbitrary) row per distinct combination. */
  dropDuplicates(subset?: string[]): DataFrame {
    if (!subset || subset.length === 0) return this.distinct();
    return this.derive([], (input) => dropDuplicatesPlan(input, subset));
  }
  drop_duplicates(subset?: string[]): DataFrame {
    return this.dropDuplicates(subset);
  }

  private combine(other: DataFrame, byName: boolean): DataFrame {
    const build = (l: LogicalPlan, r: LogicalPlan) => unionPlan([l, r], { all: true, byName });
    if ('plan' in this.state && 'plan' in other.state) return this.child({ plan: build(this.state.plan, other.state.plan) }, new Map());
    return this.child({ pending: (async () => build(await this.logicalPlan(), await other.logicalPlan()))() }, new Map());
  }
  /** Rows of both, by column position, duplicates kept (SQL's UNION ALL, as in Spark). */
  union(other: DataFrame): DataFrame {
    return this.combine(other, false);
  }
  unionAll(other: DataFrame): DataFrame {
    return this.combine(other, false);
  }
  /** Rows of both, matching columns by name. */
  unionByName(other: DataFrame): DataFrame {
    return this.combine(other, true);
  }

  repartition(numPartitions: number, ...cols: ColumnLike[]): DataFrame {
    return this.derive(cols.map((c) => columnArg(c).expr), (input, keys) => repartitionPlan(input, numPartitions, keys));
  }

  /** Names the relation so its columns can be referred to as `alias.column`. */
  alias(name: string): DataFrame {
    return this.derive([], (input) => aliasPlan(input, name));
  }

  createOrReplaceTempView(name: string): void {
    if ('plan' in this.state) return this.host.registerView(name, this.state.plan);
    throw new AnalysisError(`createOrReplaceTempView('${name}'): await df.resolved() first, this DataFrame is still being analyzed`);
  }

  /** The logical, optimized and physical plans as text. */
  async explain(): Promise<string> {
    return this.host.explain(await this.logicalPlan());
  }

  // ---- actions ----

  async toArrow(options?: ActionOptions): Promise<Table> {
    return this.host.execute(await this.logicalPlan(), options);
  }

  async collect(options?: ActionOptions): Promise<Row[]> {
    return tableToRows(await this.toArrow(options));
  }

  async take(n: number, options?: ActionOptions): Promise<Row[]> {
    return this.limit(n).collect(options);
  }

  /** As in PySpark: `head()` is the first row (undefined when empty), `head(n)` the first n rows. */
  head(): Promise<Row | undefined>;
  head(n: number, options?: ActionOptions): Promise<Row[]>;
  async head(n?: number, options?: ActionOptions): Promise<Row[] | Row | undefined> {
    return n === undefined ? this.first() : this.take(n, options);
  }

  async first(options?: ActionOptions): Promise<Row | undefined> {
    return (await this.take(1, options))[0];
  }

  async count(options?: ActionOptions): Promise<number> {
    const counted = this.aggregateBy([], [{ kind: 'alias', expr: { kind: 'agg', fn: 'count', args: [], distinct: false }, name: 'count' }]);
    const [row] = await counted.collect(options);
    return Number(row!.count);
  }

  /** Prints the first `n` rows as a text table and returns the text. */
  async show(n = 20, truncate: boolean | number = true, options?: ActionOptions): Promise<string> {
    const rows = await this.limit(n + 1).collect(options);
    const plan = await this.logicalPlan();
    const text = formatTable(plan.schema.fields.map((f) => f.name), rows.slice(0, n), {
      truncate: truncate === true ? 20 : truncate === false ? 0 : truncate,
      moreRows: rows.length > n,
    });
    console.log(text);
    return text;
  }

  get write(): DataFrameWriter {
    return new DataFrameWriter((request, options) => this.writeWith(request, options));
  }

  private async writeWith(request: Parameters<DataFrameHost['write']>[1], options?: ActionOptions): Promise<WrittenOutput> {
    return this.host.write(await this.logicalPlan(), request, options);
  }
}
