import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB } from '../io/duckdb.js';
import { aggregatePlan, projectPlan } from '../plan/build.js';
import { AnalysisError } from '../plan/errors.js';
import type { LogicalPlan } from '../plan/types.js';
import { validatePlan, withEmptyLeaves } from './validate.js';

let db: { instance: DuckDBInstance; connection: DuckDBConnection };
let scratch: string;
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'quire-validate-'));
  db = await openDuckDB({ scratchDir: scratch, threads: 1 });
});
afterAll(() => {
  db.connection.closeSync();
  db.instance.closeSync();
  rmSync(scratch, { recursive: true, force: true });
});

const scan: LogicalPlan = {
  op: 'scan',
  // The file does not exist: validation never reads data.
  source: { format: 'parquet', paths: ['/nonexistent/t.parquet'], files: [{ path: '/nonexistent/t.parquet', size: 1, partitionValues: {} }], partitionColumns: [] },
  schema: { fields: [{ name: 'price', type: 'DECIMAL(15,2)', nullable: true }, { name: 'name', type: 'VARCHAR', nullable: true }] },
  filters: [],
};

describe('validatePlan', () => {
  it('replaces leaves by empty relations, so no file is read', () => {
    expect(withEmptyLeaves(scan).op).toBe('opaque');
  });

  it('keeps a plan whose types DuckDB agrees with', async () => {
    const plan = aggregatePlan(scan, [{ kind: 'column', name: 'name' }], [{ kind: 'agg', fn: 'sum', args: [{ kind: 'column', name: 'price' }], distinct: false }]);
    expect(await validatePlan(plan, db.connection)).toBe(plan);
  });

  it('writes DuckDB\'s types into every node where the analyzer derived another', async () => {
    const doubled = projectPlan(scan, [{ kind: 'alias', expr: { kind: 'call', fn: '*', args: [{ kind: 'column', name: 'price' }, { kind: 'column', name: 'price' }] }, name: 'sq' }]);
    const wrong = { ...doubled, schema: { fields: [{ name: 'sq', type: 'DECIMAL(30,4)', nullable: true }] } } as LogicalPlan;
    const summed = aggregatePlan(wrong, [], [{ kind: 'alias', expr: { kind: 'agg', fn: 'max', args: [{ kind: 'column', name: 'sq' }], distinct: false }, name: 'top' }]);
    const fixed = await validatePlan(summed, db.connection);
    expect(fixed.schema.fields[0]!.type).toBe('DECIMAL(18,4)');
    expect(fixed.op === 'aggregate' && fixed.input.schema.fields[0]!.type).toBe('DECIMAL(18,4)');
  });

  it('reports a binder error as an AnalysisError', async () => {
    const bad = { ...scan, op: 'project', input: scan, exprs: [{ kind: 'call', fn: 'substring', args: [{ kind: 'column', name: 'price' }, { kind: 'literal', value: 1, type: 'INTEGER' }] }], schema: { fields: [{ name: 's', type: 'VARCHAR', nullable: true }] } } as unknown as LogicalPlan;
    await expect(validatePlan(bad, db.connection)).rejects.toThrow(AnalysisError);
  });
});
