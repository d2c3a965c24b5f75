/** Window specifications, as PySpark's `Window.partitionBy(...).orderBy(...).rowsBetween(...)`. */
import { AnalysisError } from '../plan/errors.js';
import type { WindowSpec } from '../plan/types.js';
import { columnArg, type Column } from './column.js';

function bound(offset: number, side: 'start' | 'end'): string {
  if (offset === Window.unboundedPreceding) return 'UNBOUNDED PRECEDING';
  if (offset === Window.unboundedFollowing) return 'UNBOUNDED FOLLOWING';
  if (offset === Window.currentRow) return 'CURRENT ROW';
  if (!Number.isInteger(offset)) throw new AnalysisError(`window frame ${side} must be an integer offset, got ${offset}`);
  return offset < 0 ? `${-offset} PRECEDING` : `${offset} FOLLOWING`;
}

export class WindowSpecBuilder {
  constructor(readonly spec: WindowSpec) {}

  partitionBy(...cols: (string | Column)[]): WindowSpecBuilder {
    return new WindowSpecBuilder({ ...this.spec, partitionBy: cols.flat().map((c) => columnArg(c).expr) });
  }

  orderBy(...cols: (string | Column)[]): WindowSpecBuilder {
    return new WindowSpecBuilder({ ...this.spec, orderBy: cols.flat().map((c) => columnArg(c).toSortKey()) });
  }

  rowsBetween(start: number, end: number): WindowSpecBuilder {
    return new WindowSpecBuilder({ ...this.spec, frame: `ROWS BETWEEN ${bound(start, 'start')} AND ${bound(end, 'end')}` });
  }

  rangeBetween(start: number, end: number): WindowSpecBuilder {
    return new WindowSpecBuilder({ ...this.spec, frame: `RANGE BETWEEN ${bound(start, 'start')} AND ${bound(end, 'end')}` });
  }
}

const EMPTY = new WindowSpecBuilder({ partitionBy: [], orderBy: [] });

export const Window = {
  unboundedPreceding: Number.MIN_SAFE_INTEGER,
  unboundedFollowing: Number.MAX_SAFE_INTEGER,
  currentRow: 0,
  partitionBy: (...cols: (string | Column)[]) => EMPTY.partitionBy(...cols),
  orderBy: (...cols: (string | Column)[]) => EMPTY.orderBy(...cols),
  rowsBetween: (start: number, end: number) => EMPTY.rowsBetween(start, end),
  rangeBetween: (start: number, end: number) => EMPTY.rangeBetween(start, end),
};
