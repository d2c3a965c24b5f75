/** `df.groupBy(...)`: the aggregations over groups (PySpark's GroupedData). */
import { AnalysisError } from '../plan/errors.js';
import type { Expr } from '../plan/types.js';
import type { Column } from './column.js';
import type { DataFrame } from './dataframe.js';

const SHORTHAND: Record<string, string> = { sum: 'sum', avg: 'avg', mean: 'avg', min: 'min', max: 'max', count: 'count' };

function aggOf(fn: string, column: string, name?: string): Expr {
  const call: Expr = { kind: 'agg', fn, args: [{ kind: 'column', name: column }], distinct: false };
  return { kind: 'alias', expr: call, name: name ?? `${fn}(${column})` };
}

export class GroupedData {
  constructor(private readonly df: DataFrame, private readonly keys: Expr[]) {}

  /** `agg(sum('x'), avg('y'))`, or PySpark's dictionary form `agg({ x: 'sum', y: 'avg' })`. */
  agg(...aggs: (Column | Record<string, string>)[]): DataFrame {
    const exprs = aggs.flatMap((a): Expr[] => {
      if ('expr' in a && typeof a.expr === 'object') return [(a as Column).expr];
      return Object.entries(a as Record<string, string>).map(([column, fn]) => {
        const name = SHORTHAND[fn.toLowerCase()];
        if (!name) throw new AnalysisError(`unknown aggregate '${fn}' for column '${column}'; use sum, avg, mean, min, max or count`);
        return aggOf(name, column, `${fn.toLowerCase()}(${column})`);
      });
    });
    if (exprs.length === 0) throw new AnalysisError('agg() needs at least one aggregate');
    return this.df.aggregateBy(this.keys, exprs);
  }

  /** Rows per group, in a column named `count`. */
  count(): DataFrame {
    return this.df.aggregateBy(this.keys, [{ kind: 'alias', expr: { kind: 'agg', fn: 'count', args: [], distinct: false }, name: 'count' }]);
  }

  sum(...columns: string[]): DataFrame { return this.shorthand('sum', columns); }
  avg(...columns: string[]): DataFrame { return this.shorthand('avg', columns); }
  mean(...columns: string[]): DataFrame { return this.shorthand('avg', columns); }
  min(...columns: string[]): DataFrame { return this.shorthand('min', columns); }
  max(...columns: string[]): DataFrame { return this.shorthand('max', columns); }

  private shorthand(fn: string, columns: string[]): DataFrame {
    if (columns.length === 0) throw new AnalysisError(`${fn}() needs at least one column name`);
    return this.df.aggregateBy(this.keys, columns.map((c) => aggOf(fn, c)));
  }
}
