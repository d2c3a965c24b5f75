/** The analyzer's derived types must be the types DuckDB itself binds. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckDB } from '../io/duckdb.js';
import { typeOf } from './analyze-expr.js';
import { AnalysisError } from './errors.js';
import { renderExpr } from './render.js';
import type { Expr, Schema } from './types.js';

const schema: Schema = {
  fields: [
    ['i', 'INTEGER'], ['b', 'BIGINT'], ['t', 'TINYINT'], ['d', 'DOUBLE'], ['f', 'FLOAT'], ['m', 'DECIMAL(15,2)'],
    ['s', 'VARCHAR'], ['dt', 'DATE'], ['ts', 'TIMESTAMP'], ['bo', 'BOOLEAN'],
  ].map(([name, type]) => ({ name: name!, type: type!, nullable: true })),
};
const c = (name: string): Expr => ({ kind: 'column', name });
const lit = (value: number | string, type: string): Expr => ({ kind: 'literal', value, type });
const call = (fn: string, ...args: Expr[]): Expr => ({ kind: 'call', fn, args });
const agg = (fn: string, arg: Expr): Expr => ({ kind: 'agg', fn, args: [arg], distinct: false });

const cases: [string, Expr][] = [
  ['i + i', call('+', c('i'), c('i'))],
  ['i + b', call('+', c('i'), c('b'))],
  ['t * t', call('*', c('t'), c('t'))],
  ['i + d', call('+', c('i'), c('d'))],
  ['i + f', call('+', c('i'), c('f'))],
  ['i + m', call('+', c('i'), c('m'))],
  ['m * m', call('*', c('m'), c('m'))],
  ['m / m', call('/', c('m'), c('m'))],
  ['i / i', call('/', c('i'), c('i'))],
  ['m + d', call('+', c('m'), c('d'))],
  ['dt + i', call('+', c('dt'), c('i'))],
  ['dt - dt', call('-', c('dt'), c('dt'))],
  ['ts - ts', call('-', c('ts'), c('ts'))],
  ['i = d', call('=', c('i'), c('d'))],
  ['sum(i)', agg('sum', c('i'))],
  ['sum(d)', agg('sum', c('d'))],
  ['sum(m)', agg('sum', c('m'))],
  ['avg(m)', agg('avg', c('m'))],
  ['min(s)', agg('min', c('s'))],
  ['count(s)', agg('count', c('s'))],
  ['year(dt)', call('year', c('dt'))],
  ['round(m, 1)', call('round', c('m'), lit(1, 'INTEGER'))],
  ['round(d, 1)', call('round', c('d'), lit(1, 'INTEGER'))],
  ['coalesce(i, b)', call('coalesce', c('i'), c('b'))],
  ['coalesce(m, i)', call('coalesce', c('m'), c('i'))],
  ['concat(s, i)', call('concat', c('s'), c('i'))],
  ['case bo then i else d', { kind: 'case', branches: [{ when: c('bo'), then: c('i') }], otherwise: c('d') }],
  ['cast(s as date)', { kind: 'cast', expr: c('s'), to: 'DATE' }],
];

let db: { instance: DuckDBInstance; connection: DuckDBConnection };
let scratch: string;
beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'quire-types-'));
  db = await openDuckDB({ scratchDir: scratch, threads: 1 });
});
afterAll(() => {
  db.connection.closeSync();
  db.instance.closeSync();
  rmSync(scratch, { recursive: true, force: true });
});

async function duckdbType(e: Expr): Promise<string> {
  const columns = schema.fields.map((f) => `CAST(NULL AS ${f.type}) AS "${f.name}"`).join(', ');
  const reader = await db.connection.runAndReadAll(`DESCRIBE SELECT ${renderExpr(e)} AS x FROM (SELECT ${columns})`);
  return String(reader.getRowObjects()[0]!.column_type);
}

describe('derived types match DuckDB', () => {
  it.each(cases)('%s', async (_, e) => {
    expect(typeOf(e, schema).type).toBe(await duckdbType(e));
  });
});

describe('type errors are raised by analysis', () => {
  it('rejects arithmetic on strings, naming both operands', () => {
    expect(() => typeOf(call('+', c('s'), c('i')), schema)).toThrow(new AnalysisError("type mismatch: cannot apply '+' to s (VARCHAR) and i (INTEGER)"));
  });
  it('rejects comparing a string column with a number column', () => {
    expect(() => typeOf(call('=', c('s'), c('i')), schema)).toThrow(/cannot compare s \(VARCHAR\) with i \(INTEGER\)/);
  });
  it('accepts a string literal against a date, as DuckDB casts it', () => {
    expect(typeOf(call('>=', c('dt'), lit('2020-01-01', 'VARCHAR')), schema).type).toBe('BOOLEAN');
  });
  it('rejects sum over strings and CASE branches without a common type', () => {
    expect(() => typeOf(agg('sum', c('s')), schema)).toThrow(/sum\(\) needs a numeric argument, got VARCHAR/);
    expect(() => typeOf({ kind: 'case', branches: [{ when: c('bo'), then: c('s') }], otherwise: c('i') }, schema)).toThrow(/CASE results do not share a type/);
  });
});
