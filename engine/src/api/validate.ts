/**
 * The last check before a job runs: the whole plan, rendered as one query over empty inputs of the
 * planned types, is bound by the driver's DuckDB. A type error DuckDB would raise therefore
 * surfaces here, as an AnalysisError, instead of inside a worker's task.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { AnalysisError } from '../plan/errors.js';
import { transformPlan } from '../plan/expr-walk.js';
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

export async function validatePlan(plan: LogicalPlan, connection: DuckDBConnection): Promise<Field[]> {
  const sql = renderPlan(withEmptyLeaves(plan));
  let described;
  try {
    described = await connection.runAndReadAll(`DESCRIBE ${sql}`);
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
    throw new AnalysisError(`the query does not type-check: ${message}`);
  }
  const fields = described.getRowObjects().map((row) => ({ name: String(row.column_name), type: String(row.column_type), nullable: true }));
  if (fields.length !== plan.schema.fields.length) {
    throw new Error(`internal: DuckDB sees ${fields.length} result columns but the plan has ${plan.schema.fields.length}`);
  }
  return fields;
}
