/**
 * A fragment is a stage being built: a logical plan whose leaves stand for task inputs, run once per
 * task. Operators grow the fragment until an exchange is needed; then the fragment is finished into
 * a StagePlan and a new fragment starts by reading that stage's output.
 */
import { quoteIdent, renderExpr, renderPlan, type NamedRelation } from '../plan/render.js';
import type { Expr, Field, LogicalPlan, Schema, SortKey } from '../plan/types.js';
import type { Exchange, StagePlan, TaskInput } from './types.js';
import type { ClusteredColumn } from './context.js';
import { renamedClustering } from './clustering.js';
import { joinsToRunFirst } from './joins-first.js';
import { selectivity } from '../plan/selectivity.js';

/** How a fragment's rows are spread over its tasks, so operators can skip needless exchanges. */
export type Distribution =
  | { kind: 'any' }
  /** Exactly one task holds every row. */
  | { kind: 'single' }
  /** Rows with equal values of these output columns are in the same task. */
  | { kind: 'hash'; keys: string[]; partitions: number }
  /** Rows with equal values of any one of these columns are in the same task, where the files put them (clustering.ts). */
  | { kind: 'clustered'; by: ClusteredColumn[] };

export interface Leaf {
  /** The node standing for this input inside the fragment's plan (matched by identity). */
  placeholder: LogicalPlan;
  /** The input task `task` reads, registered under `name`. */
  inputFor(task: number, name: string): TaskInput;
  /** The same relation with no rows, for tasks that must not read it (union); absent if impossible. */
  emptyInput?(name: string): TaskInput;
  /** All of the relation for any one task (a broadcast read straight from its files); absent if not offered. */
  wholeInput?(name: string): TaskInput;
  /** The input applies filters of its own as it is read (a scan's pushed-down filters). */
  filtered?: boolean;
  /** The upstream stage read, if any. */
  stageId?: number;
  /**
   * The share of its source's rows the input keeps, as far as the plan can guess
   * (plan/selectivity.ts): filters applied as it is read, or in the stages it reads. 1 when absent.
   */
  keptShare?: number;
  /** When the stored columns were renamed to cross an exchange: where each plan column is stored. */
  columns?: NamedRelation['columns'];
}

export interface Fragment {
  plan: LogicalPlan;
  leaves: Leaf[];
  tasks: number;
  distribution: Distribution;
  /** Operators in the stage so far, for its description. */
  operators: string[];
  singleWorkerReason?: string;
}

/** A leaf node for a relation with `schema`; only ever rendered through `relationFor`. */
export function placeholder(schema: Schema): LogicalPlan {
  return { op: 'values', arrowIpcBase64: '', schema, rowCount: 0 };
}

export function describeExchange(output: Exchange): string {
  switch (output.kind) {
    case 'hash':
      return `Exchange hash(${output.keys.join(', ')}) x${output.partitions}`;
    case 'range':
      return `Exchange range(${output.keys.map((k) => `${k.sql} ${k.ascending ? 'asc' : 'desc'}`).join(', ')}) x${output.partitions}`;
    case 'broadcast':
      return 'Exchange broadcast';
    case 'gather':
      return 'Exchange gather';
    case 'result':
      return 'Result';
    case 'write':
      return `Write ${output.format} ${output.path} (${output.mode}${output.partitionBy.length ? `, partitionBy ${output.partitionBy.join(', ')}` : ''})`;
  }
}

/** Output partitions of an exchange, or undefined when every consumer task reads all of it. */
export function exchangePartitions(output: Exchange): number | undefined {
  return output.kind === 'hash' || output.kind === 'range' ? output.partitions : undefined;
}

export class StageGraph {
  readonly stages: StagePlan[] = [];

  /** Logical schemas of stages whose exchanged schema differs (128-bit integers carried as DECIMAL). */
  private readonly logicalSchemas = new Map<number, Schema>();
  /** Stages whose output columns were renamed because the plan has two columns of one name. */
  private readonly renamedColumns = new Map<number, NamedRelation['columns']>();
  /** The share of its sources' rows each stage's output keeps (Leaf.keptShare of a stage read). */
  private readonly keptShares = new Map<number, number>();
  /**
   * Stages by everything that determines their output: a subplan used twice (a view or CTE read in
   * the query and in its subquery, TPC-H Q15's revenue0) runs once and both consumers read it, as
   * Spark's ReuseExchange does.
   */
  private readonly byContent = new Map<string, StagePlan>();

  /** Where the graph stands, to go back to with `rollback`. */
  mark(): number {
    return this.stages.length;
  }

  /** Forgets every stage added since `mark` (a subplan planned and then not used). */
  rollback(mark: number): void {
    for (const stage of this.stages.splice(mark)) {
      this.logicalSchemas.delete(stage.id);
      this.renamedColumns.delete(stage.id);
      this.keptShares.delete(stage.id);
    }
    for (const [content, stage] of this.byContent) if (stage.id >= mark) this.byContent.delete(content);
  }

  /** Turns a fragment into a stage writing `output`. */
  /**
   * `keyQualifiers` tells, for a hash exchange, which relation each key column comes from, needed
   * when two columns share the key's name; a range exchange passes its `sortKeys` for the same reason.
   */
  finish(fragment: Fragment, output: Exchange, keyQualifiers?: (string | undefined)[], sortKeys?: SortKey[]): StagePlan {
    const logical = fragment.plan.schema;
    let renamed: NamedRelation['columns'] | undefined;
    if (output.kind !== 'result' && output.kind !== 'write') {
      renamed = uniqueColumns(logical);
      fragment = { ...fragment, plan: renamed ? withColumnNames(fragment.plan, renamed) : exchangeable(fragment.plan) };
      if (renamed && output.kind === 'hash') output = { ...output, keys: storedKeys(output.keys, keyQualifiers, renamed) };
      // Range keys are SQL over the stored columns: qualified references resolve through the renaming.
      if (output.kind === 'range' && sortKeys) {
        const stored = (name: string, qualifier: string | undefined) =>
          quoteIdent(renamed ? storedKeys([name], [qualifier], renamed)[0]! : name);
        output = {
          ...output,
          keys: sortKeys.map((k) => ({ sql: renderExpr(k.expr, { column: stored }), ascending: k.ascending, nullsFirst: k.nullsFirst })),
        };
      }
    }
    const taken = cteNames(fragment.plan);
    const names = new Map<LogicalPlan, string>();
    const used = new Set<string>();
    fragment.leaves.forEach((leaf, index) => {
      // An upstream stage is read under its own name, so a stage's inputs and those of the stage it
      // feeds never share a name when the scheduler runs both in one task (scheduler/stage-fusion.ts).
      const base = leaf.stageId === undefined ? `in${index}` : `s${leaf.stageId}`;
      let name = base;
      for (let copy = 2; ; copy++) {
        // Opaque SQL binds its inputs as CTEs; an input relation of the same name would be shadowed.
        while (taken.has(name)) name = `_${name}`;
        if (!used.has(name)) break;
        name = `${base}_${copy}`;
      }
      used.add(name);
      names.set(leaf.placeholder, name);
    });
    const leafColumns = new Map(fragment.leaves.map((leaf) => [leaf.placeholder, leaf.columns] as const));
    const sql = renderPlan(fragment.plan, {
      materializeFirst: joinsToRunFirst(fragment.leaves),
      relationFor: (node) => {
        const name = names.get(node);
        const columns = leafColumns.get(node);
        return name !== undefined && columns ? { name, columns } : name;
      },
    });
    const tasks = Array.from({ length: fragment.tasks }, (_, task) => ({
      partition: task,
      inputs: fragment.leaves.map((leaf) => leaf.inputFor(task, names.get(leaf.placeholder)!)),
    }));
    const dependsOn = [...new Set(fragment.leaves.flatMap((leaf) => (leaf.stageId === undefined ? [] : [leaf.stageId])))];
    const content = JSON.stringify([sql, tasks, output, fragment.plan.schema, logical, renamed ?? null, fragment.singleWorkerReason ?? null]);
    const same = this.byContent.get(content);
    if (same) return same;
    const stage: StagePlan = {
      id: this.stages.length,
      dependsOn,
      tasks,
      sql,
      output,
      schema: fragment.plan.schema,
      description: [...fragment.operators, describeExchange(output)].join(' -> '),
      ...(fragment.singleWorkerReason ? { singleWorkerReason: fragment.singleWorkerReason } : {}),
    };
    this.stages.push(stage);
    this.byContent.set(content, stage);
    if (stage.schema !== logical) this.logicalSchemas.set(stage.id, logical);
    const leafShares = new Map(fragment.leaves.map((leaf) => [leaf.placeholder, leaf.keptShare] as const));
    this.keptShares.set(stage.id, selectivity(fragment.plan, (node) => leafShares.get(node)));
    if (renamed) this.renamedColumns.set(stage.id, renamed);
    return stage;
  }

  /** A new fragment reading a finished stage: one task per output partition, or one task reading all. */
  read(stage: StagePlan, options: { tasks?: number } = {}): Fragment {
    const partitions = exchangePartitions(stage.output);
    const logical = this.logicalSchemas.get(stage.id);
    const renamed = this.renamedColumns.get(stage.id);
    const planSchema = renamed && logical ? logical : stage.schema;
    const node = placeholder(planSchema);
    // Columns of several relations keep answering to their qualified names (`n1.n_name`).
    const mixed = new Set(planSchema.fields.map((f) => f.qualifier)).size > 1;
    const columns: NamedRelation['columns'] | undefined = renamed ?? (mixed
      ? planSchema.fields.map((f) => ({ name: f.name, ...(f.qualifier ? { qualifier: f.qualifier } : {}), as: f.name }))
      : undefined);
    const perTask = partitions !== undefined;
    const leaf: Leaf = {
      placeholder: node,
      stageId: stage.id,
      keptShare: this.keptShares.get(stage.id) ?? 1,
      inputFor: (task, name) => ({ kind: 'exchange', name, stageId: stage.id, partitions: perTask ? [task] : 'all', schema: stage.schema }),
      emptyInput: (name) => ({ kind: 'exchange', name, stageId: stage.id, partitions: [], schema: stage.schema }),
      ...(columns ? { columns } : {}),
    };
    const tasks = partitions ?? options.tasks ?? 1;
    return {
      plan: logical && !renamed ? restoreTypes(node, logical) : node,
      leaves: [leaf],
      tasks,
      // Renamed columns are not the plan's names: claim no layout rather than a wrong one.
      distribution: stage.output.kind === 'hash' && !renamed ? { kind: 'hash', keys: stage.output.keys, partitions: stage.output.partitions } : tasks === 1 ? { kind: 'single' } : { kind: 'any' },
      operators: [`Read stage ${stage.id}`],
    };
  }

  /** The fragment's rows in one task: itself when it already runs as one task, else via a gather stage. */
  gather(fragment: Fragment): Fragment {
    if (fragment.tasks === 1) return { ...fragment, distribution: { kind: 'single' } };
    return this.read(this.finish(fragment, { kind: 'gather' }));
  }
}

/** Names opaque nodes in `plan` bind as CTEs. */
function cteNames(plan: LogicalPlan, into = new Set<string>()): Set<string> {
  if (plan.op === 'opaque') Object.keys(plan.inputs).forEach((name) => into.add(name));
  const children = plan.op === 'join' ? [plan.left, plan.right] : plan.op === 'union' ? plan.inputs
    : plan.op === 'opaque' ? Object.values(plan.inputs) : 'input' in plan ? [plan.input] : [];
  for (const child of children) cteNames(child, into);
  return into;
}

const WIDE_INTEGER = /^U?HUGEINT$/i;
const col = (f: Field): Expr => ({ kind: 'column', name: f.name, ...(f.qualifier ? { qualifier: f.qualifier } : {}) });

/**
 * Exchange data is Parquet, which has no 128-bit integer (DuckDB would write DOUBLE and lose digits):
 * such columns cross as DECIMAL(38,0) and are cast back by the reader (`restoreTypes`).
 */
function exchangeable(plan: LogicalPlan): LogicalPlan {
  if (!plan.schema.fields.some((f) => WIDE_INTEGER.test(f.type))) return plan;
  return {
    op: 'project',
    input: plan,
    exprs: plan.schema.fields.map((f) =>
      WIDE_INTEGER.test(f.type) ? { kind: 'alias', name: f.name, expr: { kind: 'cast', expr: col(f), to: 'DECIMAL(38,0)' } } : col(f)),
    schema: { fields: plan.schema.fields.map((f) => (WIDE_INTEGER.test(f.type) ? { ...f, type: 'DECIMAL(38,0)' } : f)) },
  };
}

function restoreTypes(node: LogicalPlan, logical: Schema): LogicalPlan {
  return {
    op: 'project',
    input: node,
    exprs: logical.fields.map((f) => (WIDE_INTEGER.test(f.type) ? { kind: 'alias', name: f.name, expr: { kind: 'cast', expr: col(f), to: f.type } } : col(f))),
    schema: logical,
  };
}

/**
 * Exchange data is Parquet, which cannot hold two columns of one name (DuckDB would rename one
 * behind our back). A join of `n1` and `n2` has two `n_name` columns: they are stored under unique
 * names and the reading stage maps `n1.n_name` / `n2.n_name` back to them (render's NamedRelation).
 * Undefined when every name is already unique.
 */
function uniqueColumns(schema: Schema): NamedRelation['columns'] | undefined {
  const names = schema.fields.map((f) => f.name);
  if (new Set(names).size === names.length) return undefined;
  const used = new Set<string>();
  return schema.fields.map((f) => {
    let as = used.has(f.name) ? `${f.name}_${f.qualifier ?? 'dup'}` : f.name;
    while (used.has(as) || (as !== f.name && names.includes(as))) as = `${as}_`;
    used.add(as);
    return { name: f.name, ...(f.qualifier ? { qualifier: f.qualifier } : {}), as };
  });
}

function storedKeys(keys: string[], qualifiers: (string | undefined)[] | undefined, columns: NamedRelation['columns']): string[] {
  return keys.map((key, i) => {
    const qualifier = qualifiers?.[i];
    const matches = columns.filter((c) => c.name === key && (qualifier === undefined || c.qualifier === qualifier));
    if (matches.length !== 1) {
      throw new Error(`cannot tell which of ${matches.length} columns named '${key}' to partition on; qualify the column`);
    }
    return matches[0]!.as;
  });
}

/** The plan with its output columns stored under `columns[i].as`. */
function withColumnNames(plan: LogicalPlan, columns: NamedRelation['columns']): LogicalPlan {
  const fields = plan.schema.fields.map((f, i) => ({ name: columns[i]!.as, type: f.type, nullable: f.nullable }));
  // A projection on top is renamed in place: a projection over it could no longer tell the columns apart.
  if (plan.op === 'project' && plan.exprs.length === fields.length && plan.exprs.every((e) => e.kind !== 'star')) {
    return { ...plan, exprs: plan.exprs.map((e, i) => ({ kind: 'alias', expr: e.kind === 'alias' ? e.expr : e, name: fields[i]!.name })), schema: { fields } };
  }
  return {
    op: 'project',
    input: plan,
    exprs: plan.schema.fields.map((f, i) => ({ kind: 'alias', expr: col(f), name: fields[i]!.name })),
    schema: { fields },
  };
}

/** Applies a one-input operator inside the fragment. */
export function extend(fragment: Fragment, plan: LogicalPlan, operator: string, distribution = fragment.distribution): Fragment {
  return { ...fragment, plan, operators: [...fragment.operators, operator], distribution: checkedDistribution(distribution, plan.schema) };
}

/** A hash layout named by a column that occurs twice in the schema cannot say which one: claim none. */
export function checkedDistribution(distribution: Distribution, schema: Schema): Distribution {
  const unique = (name: string) => schema.fields.filter((f) => f.name === name).length === 1;
  if (distribution.kind === 'clustered') return renamedClustering(distribution, (column) => (unique(column) ? column : undefined));
  if (distribution.kind !== 'hash') return distribution;
  const ambiguous = distribution.keys.some((k) => schema.fields.filter((f) => f.name === k).length !== 1);
  return ambiguous ? { kind: 'any' } : distribution;
}
