/** JavaScript values as typed plan literals, the way PySpark's lit() types Python values. */
import { AnalysisError } from '../plan/errors.js';
import type { Expr } from '../plan/types.js';

export type LiteralValue = string | number | boolean | bigint | Date | null;

const INT32 = 2 ** 31;

export function literalExpr(value: LiteralValue): Expr {
  if (value === null) return { kind: 'literal', value: null, type: 'NULL' };
  switch (typeof value) {
    case 'string':
      return { kind: 'literal', value, type: 'VARCHAR' };
    case 'boolean':
      return { kind: 'literal', value, type: 'BOOLEAN' };
    case 'bigint':
      return { kind: 'literal', value: value.toString(), type: value >= -(2n ** 63n) && value < 2n ** 63n ? 'BIGINT' : 'HUGEINT' };
    case 'number':
      if (!Number.isFinite(value)) return { kind: 'literal', value: String(value), type: 'DOUBLE' };
      if (Number.isInteger(value)) return { kind: 'literal', value, type: value >= -INT32 && value < INT32 ? 'INTEGER' : 'BIGINT' };
      return { kind: 'literal', value, type: 'DOUBLE' };
    case 'object':
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw new AnalysisError('lit(): the Date is invalid');
        return { kind: 'literal', value: value.toISOString().replace('T', ' ').replace('Z', ''), type: 'TIMESTAMP' };
      }
  }
  throw new AnalysisError(`lit(): cannot make a literal from ${typeof value} ${String(value)}`);
}
