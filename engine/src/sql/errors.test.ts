import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Schema } from '../plan/types.js';
import { SqlError, exprFromSql, sqlToPlan } from './index.js';
import { openTestDb, rowsOf, type TestDb } from './test-support/harness.js';
import { renderExpr } from '../plan/render-expr.js';

let db: TestDb;
beforeAll(async () => {
  db = await openTestDb([
    ['flights', `SELECT * FROM (VALUES (1, 'LAX', 12.5), (2, 'SFO', -3.0), (3, 'LAX', NULL)) v(id, origin, delay)`],
    ['airports', `SELECT * FROM (VALUES ('LAX', 'CA'), ('SFO', 'CA')) v(iata, state)`],
  ]);
});
afterAll(() => db?.close());

async function sqlError(run: () => Promise<unknown>): Promise<SqlError> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(SqlError);
    return error as SqlError;
  }
  throw new Error('expected a SqlError');
}

describe('SQL errors', () => {
  it('reports a syntax error with line, column and a caret under the spot', async () => {
    const error = await sqlError(() => sqlToPlan('select origin,\n  count(*)\nfrom flights\nwhere delay > > 3', db.ctx));
    expect(error.line).toBe(4);
    expect(error.column).toBe(15);
    expect(error.excerpt).toBe('where delay > > 3\n              ^');
    expect(error.message).toMatch(/syntax error at or near ">" at line 4, column 15/);
  });

  it('names the unknown table and the tables that exist', async () => {
    const error = await sqlError(() => sqlToPlan('select * from flight', db.ctx));
    expect(error.message).toMatch(/table "flight" not found; available tables: flights, airports/);
    expect(error.line).toBe(1);
    expect(error.column).toBe(15);
  });

  it('names the unknown column, where it is, and the columns that exist', async () => {
    const error = await sqlError(() => sqlToPlan('select id,\n  delya from flights', db.ctx));
    expect(error.message).toMatch(/column "delya" not found; available columns: flights.id, flights.origin, flights.delay/);
    expect(error.line).toBe(2);
    expect(error.column).toBe(3);
  });

  it('reports unknown columns inside subqueries and ambiguous names', async () => {
    await expect(sqlToPlan('select * from flights where id in (select nope from airports)', db.ctx)).rejects.toThrow(/column "nope" not found/);
    await expect(sqlToPlan('select origin from flights f, flights g', db.ctx)).rejects.toThrow(/ambiguous: it could be f.origin, g.origin/);
  });

  it('reports non-grouped columns like DuckDB does', async () => {
    await expect(sqlToPlan('select origin, delay, count(*) from flights group by origin', db.ctx)).rejects.toThrow(/"flights.delay" must appear in the GROUP BY clause/);
  });

  it('rejects statements other than one SELECT', async () => {
    await expect(sqlToPlan('create table x (a int)', db.ctx)).rejects.toThrow(/only SELECT queries/);
    await expect(sqlToPlan('select 1; select 2', db.ctx)).rejects.toThrow(/exactly one SQL statement, got 2/);
    await expect(sqlToPlan('   ', db.ctx)).rejects.toThrow(/empty/);
  });
});

describe('exprFromSql', () => {
  const schema: Schema = {
    fields: [
      { name: 'id', type: 'INTEGER', nullable: true },
      { name: 'origin', type: 'VARCHAR', nullable: true },
      { name: 'delay', type: 'DECIMAL(3,1)', nullable: true },
    ],
  };

  it('translates a predicate structurally', async () => {
    const expr = await exprFromSql("delay > 10 and origin like 'L%'", schema, db.connection);
    expect(expr).toEqual({
      kind: 'call', fn: 'and', args: [
        { kind: 'call', fn: '>', args: [{ kind: 'column', name: 'delay' }, { kind: 'literal', value: 10, type: 'INTEGER' }] },
        { kind: 'call', fn: 'like', args: [{ kind: 'column', name: 'origin' }, { kind: 'literal', value: 'L%', type: 'VARCHAR' }] },
      ],
    });
    const rows = await rowsOf(db.connection, `SELECT id FROM flights WHERE ${renderExpr(expr)}`);
    expect(rows).toEqual(['1']);
  });

  it('keeps an alias and an aggregate', async () => {
    expect(await exprFromSql('avg(delay) as mean_delay', schema, db.connection)).toEqual({
      kind: 'alias', name: 'mean_delay', expr: { kind: 'agg', fn: 'avg', args: [{ kind: 'column', name: 'delay' }], distinct: false },
    });
  });

  it('keeps constructs without a structured form as SQL text with exact column refs', async () => {
    const expr = await exprFromSql("[id, 2][1] + len(origin)", schema, db.connection);
    expect(JSON.stringify(expr)).toContain('"kind":"sql"');
    const rows = await rowsOf(db.connection, `SELECT ${renderExpr(expr)} FROM flights ORDER BY id`);
    expect(rows).toEqual(['4', '5', '6']);
  });

  it('points at the unknown column and at syntax errors in the expression text', async () => {
    const unknown = await sqlError(() => exprFromSql('delay > dealy', schema, db.connection));
    expect(unknown.message).toMatch(/column "dealy" not found; available columns: id, origin, delay/);
    expect(unknown.column).toBe(9);
    const syntax = await sqlError(() => exprFromSql('delay > > 1', schema, db.connection));
    expect(syntax.column).toBe(9);
    expect(syntax.excerpt).toBe('delay > > 1\n        ^');
    await expect(exprFromSql('delay from flights', schema, db.connection)).rejects.toThrow(/a single expression/);
  });
});
