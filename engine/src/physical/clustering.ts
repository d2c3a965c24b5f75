/**
 * Layouts that come from the files rather than from an exchange: a fragment whose tasks hold
 * disjoint value ranges of a column (see io/clusteredColumns.ts) has every value's rows in one
 * task. Grouping by that column needs no shuffle, and two fragments whose ranges line up task by
 * task (task i of one meets no value of task j of the other) join task by task, as two hash
 * partitionings with the same count do.
 */
import type { LogicalPlan } from '../plan/types.js';
import type { ClusteredColumn } from './context.js';
import type { Distribution } from './fragment.js';
import type { EquiKeys } from './keys.js';

type Clustered = Extract<Distribution, { kind: 'clustered' }>;

export function clustered(by: ClusteredColumn[]): Distribution {
  return by.length > 0 ? { kind: 'clustered', by } : { kind: 'any' };
}

/** Whether rows with equal values of `columns` are in one task because one of them is clustered. */
export function clusteredOn(d: Distribution, columns: readonly string[]): boolean {
  return d.kind === 'clustered' && d.by.some((c) => columns.includes(c.column));
}

/** The clustering that survives renaming columns (`rename` gives a column's new name, or undefined when it is gone). */
export function renamedClustering(d: Clustered, rename: (column: string) => string | undefined): Distribution {
  return clustered(d.by.flatMap((c) => {
    const name = rename(c.column);
    return name === undefined ? [] : [{ ...c, column: name }];
  }));
}

/** The key pair of an equi-join along which both sides' ranges line up task by task, if any. */
export function alignedKey(left: Distribution, right: Distribution, keys: EquiKeys): [string, string] | undefined {
  if (left.kind !== 'clustered' || right.kind !== 'clustered') return undefined;
  for (let i = 0; i < keys.left.length; i++) {
    const l = left.by.find((c) => c.column === keys.left[i]);
    const r = right.by.find((c) => c.column === keys.right[i]);
    if (l && r && lineUp(l.ranges, r.ranges)) return [l.column, r.column];
  }
  return undefined;
}

/** Same task count, and no value of task i of one side lies in the range of task j != i of the other. */
function lineUp(left: [bigint, bigint][], right: [bigint, bigint][]): boolean {
  if (left.length !== right.length) return false;
  const meets = (a: [bigint, bigint], b: [bigint, bigint]) => a[0] <= a[1] && b[0] <= b[1] && a[0] <= b[1] && b[0] <= a[1];
  return left.every((l, i) => right.every((r, j) => i === j || !meets(l, r)));
}

/** Rows stay where both sides had them, so the output keeps each kept side's clustering. */
export function joinedClustering(type: Extract<LogicalPlan, { op: 'join' }>['type'], left: Distribution, right: Distribution): Distribution {
  const by = (d: Distribution) => (d.kind === 'clustered' ? d.by : []);
  switch (type) {
    case 'inner':
      return clustered([...by(left), ...by(right)]);
    case 'left':
    case 'semi':
    case 'anti':
      return clustered(by(left));
    case 'right':
      return clustered(by(right));
    default:
      // A full join pads either side's keys with NULLs.
      return { kind: 'any' };
  }
}

/** The clustering of tasks merged in groups (regroup.ts): each group's range covers its members', kept only while still disjoint. */
export function mergedClustering(d: Distribution, groups: number[][]): Distribution {
  if (d.kind !== 'clustered') return { kind: 'any' };
  return clustered(d.by.flatMap((c) => {
    const ranges = groups.map((members): [bigint, bigint] => {
      const held = members.map((task) => c.ranges[task]!).filter(([lo, hi]) => lo <= hi);
      if (held.length === 0) return [1n, 0n];
      return [held.reduce((m, [lo]) => (lo < m ? lo : m), held[0]![0]), held.reduce((m, [, hi]) => (hi > m ? hi : m), held[0]![1])];
    });
    return disjointRanges(ranges) ? [{ column: c.column, ranges }] : [];
  }));
}

/** No two non-empty ranges share a value. */
export function disjointRanges(ranges: [bigint, bigint][]): boolean {
  const sorted = ranges.filter(([lo, hi]) => lo <= hi).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return sorted.every((range, i) => i === 0 || range[0] > sorted[i - 1]![1]);
}
