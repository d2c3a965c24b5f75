/**
 * The last check before a job runs: the whole plan, rendered as one query over empty inputs of the
 * planned types, is bound by the driver's DuckDB. A type error DuckDB would raise therefore
 * surfaces here, as an AnalysisError, instead of inside a worker's task. Where DuckDB derives a
 * different type than the analyzer did (decimal precisions are approximated), DuckDB's types are
 * written into the plan, so exchanges between stages declare what the workers really produce.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { columnIndex, queryRows } from '../io/duckdbRows.js';
import { AnalysisError } from '../plan/errors.js';
import { planChildren, transformPlan, withPlanChildren } from '../plan/expr-walk.js';
import { checkTypeName, quoteIdent, renderPlan } from '../plan/render.js';
import type { Field, LogicalPlan } from '../plan/types.js';

function emptyRows(fields: Field[]): string {
  if (fields.length === 0) return 'SELECT 1 AS "_" LIMIT 0';
  return `SELECT ${fields.map((f) => `CAST(NULL AS ${checkTypeName(f.type)}) AS ${quoteIdent(f.name)}`).join(', ')} LIMIT 0`;
}

/** The plan with every leaf (files, rows, ranges) replaced by no rows of the same columns. */
export function withEmptyLeaves(plan: LogicalPlan): LogicalPlan {
  return transformPlan(plan, (node) => {
    if (node.op !== 'scan' && node.op !== 'values' && node.op !== 'range') return node;
    return { op: 'opaque', sql: emptyRows(node.schema.fields), inputs: {}, reason: 'validation', schema: node.schema };
  });
}

async function describeTypes(plan: LogicalPlan, connection: DuckDBConnection): Promise<string[]> {
  const sql = renderPlan(withEmptyLeaves(plan));
  let described;
  try {
    described = await queryRows(connection, `DESCRIBE ${sql}`);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new AnalysisError(`the query does not type-check: ${message}`);
  }
  const type = columnIndex(described, 'column_type');
  const types = described.rows.map((row) => String(row[type]));
  if (types.length !== plan.schema.fields.length) {
    throw new Error(`internal: DuckDB sees ${types.length} result columns but the plan has ${plan.schema.fields.length}`);
  }
  return types;
}

const sameTypes = (plan: LogicalPlan, types: string[]) => plan.schema.fields.every((f, i) => f.type === types[i]);

function withTypes(plan: LogicalPlan, types: string[]): LogicalPlan {
  return { ...plan, schema: { fields: plan.schema.fields.map((f, i) => ({ ...f, type: types[i]! })) } } as LogicalPlan;
}

/** Rewrites every node's types to DuckDB's, bottom-up (children first, so parents bind over corrected inputs). */
async function alignTypes(plan: LogicalPlan, connection: DuckDBConnection): Promise<LogicalPlan> {
  if (plan.op === 'scan' || plan.op === 'values' || plan.op === 'range') return plan;
  const children = planChildren(plan);
  const aligned: LogicalPlan[] = [];
  for (const child of children) aligned.push(await alignTypes(child, connection));
  const node = aligned.every((c, i) => c === children[i]) ? plan : withPlanChildren(plan, aligned);
  const types = await describeTypes(node, connection);
  return sameTypes(node, types) ? node : withTypes(node, types);
}

/** Checks the plan with DuckDB; returns it, with DuckDB's types where they differ from the analyzer's. */
export async function validatePlan(plan: LogicalPlan, connection: DuckDBConnection): Promise<LogicalPlan> {
  const types = await describeTypes(plan, connection);
  return sameTypes(plan, types) ? plan : alignTypes(plan, connection);
}
