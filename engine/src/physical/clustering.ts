/**
 * Layouts that come from the files rather than from an exchange: a fragment whose tasks hold
 * disjoint value ranges of a column (see io/clusteredColumns.ts) has every value's rows in one
 * task. Grouping by that column needs no shuffle, and two fragments whose ranges line up task by
 * task (task i of one meets no value of task j of the other) join task by task, as two hash
 * partitionings with the same count do. A task's values are a list of ranges: a split may pack
 * files that are not neighbours in key order (part-1 and part-10 listed together).
 */
import type { LogicalPlan } from '../plan/types.js';
import type { ClusteredColumn, ValueRange } from './context.js';
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

/** No value lies in ranges of two different tasks. */
export function disjointTasks(ranges: readonly ValueRange[][]): boolean {
  return overlapping(ranges.map((task, i) => ({ ranges: task, tag: i }))).every((tags) => tags.size === 1);
}

/** The key pair of an equi-join along which both sides' ranges line up task by task, if any. */
export function alignedKey(left: Distribution, right: Distribution, keys: EquiKeys): [string, string] | undefined {
  for (const [l, r] of keyPairs(left, right, keys)) {
    if (l.ranges.length !== r.ranges.length) continue;
    // Overlapping ranges must all belong to one task index, whichever side they are on.
    const tagged = [...l.ranges.map((task, i) => ({ ranges: task, tag: i })), ...r.ranges.map((task, i) => ({ ranges: task, tag: i }))];
    if (overlapping(tagged).every((tags) => tags.size === 1)) return [l.column, r.column];
  }
  return undefined;
}

/**
 * For two sides clustered on a join key pair whose tasks do not line up (a small table in fewer
 * splits than a large one), groups of each side's tasks that do: tasks whose ranges meet, on
 * either side, go to one group. Undefined when that leaves fewer than two groups (one task would
 * do the whole join) or the sides are not clustered on the keys.
 */
export function alignedGroups(left: Distribution, right: Distribution, keys: EquiKeys): { left: number[][]; right: number[][] } | undefined {
  for (const [l, r] of keyPairs(left, right, keys)) {
    const groups = taskGroups(l.ranges, r.ranges);
    if (groups) return groups;
  }
  return undefined;
}

function keyPairs(left: Distribution, right: Distribution, keys: EquiKeys): [ClusteredColumn, ClusteredColumn][] {
  if (left.kind !== 'clustered' || right.kind !== 'clustered') return [];
  return keys.left.flatMap((key, i) => {
    const l = left.by.find((c) => c.column === key);
    const r = right.by.find((c) => c.column === keys.right[i]);
    return l && r ? [[l, r] as [ClusteredColumn, ClusteredColumn]] : [];
  });
}

/** Connected groups of tasks (left and right) whose ranges meet; groups of one side only join another group. */
function taskGroups(left: ValueRange[][], right: ValueRange[][]): { left: number[][]; right: number[][] } | undefined {
  const tagged = [...left.map((ranges, i) => ({ ranges, tag: `l${i}` })), ...right.map((ranges, i) => ({ ranges, tag: `r${i}` }))];
  // Union-find over tasks: every overlapping cluster of ranges joins its tasks.
  const parent = new Map(tagged.map((t) => [t.tag, t.tag]));
  const find = (tag: string): string => (parent.get(tag) === tag ? tag : find(parent.get(tag)!));
  for (const tags of overlapping(tagged)) {
    const [first, ...rest] = [...tags].map(String);
    for (const tag of rest) parent.set(find(tag), find(first!));
  }
  const components = new Map<string, { left: number[]; right: number[] }>();
  for (const { tag } of tagged) {
    const root = find(tag);
    if (!components.has(root)) components.set(root, { left: [], right: [] });
    components.get(root)![tag[0] === 'l' ? 'left' : 'right'].push(Number(tag.slice(1)));
  }
  const groups = [...components.values()].filter((g) => g.left.length > 0 && g.right.length > 0);
  if (groups.length < 2) return undefined;
  // Tasks that meet nothing on the other side (or read no row) can be anywhere: the first group takes them.
  for (const g of components.values()) {
    if (g.left.length > 0 && g.right.length > 0) continue;
    groups[0]!.left.push(...g.left);
    groups[0]!.right.push(...g.right);
  }
  const sorted = (tasks: number[]) => tasks.sort((a, b) => a - b);
  return { left: groups.map((g) => sorted(g.left)), right: groups.map((g) => sorted(g.right)) };
}

/** Clusters of ranges that meet (directly or through others), each as the set of its ranges' tags, in key order. */
function overlapping<T>(entries: { ranges: readonly ValueRange[]; tag: T }[]): Set<T>[] {
  const flat = entries.flatMap((e) => e.ranges.filter(([lo, hi]) => lo <= hi).map(([lo, hi]) => ({ lo, hi, tag: e.tag })));
  flat.sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const clusters: Set<T>[] = [];
  let reach: bigint | undefined;
  for (const range of flat) {
    if (reach === undefined || range.lo > reach) clusters.push(new Set());
    clusters.at(-1)!.add(range.tag);
    if (reach === undefined || range.hi > reach) reach = range.hi;
  }
  return clusters;
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

/** The clustering of tasks merged in groups (regroup.ts): a group holds its members' ranges, kept while groups stay disjoint. */
export function mergedClustering(d: Distribution, groups: number[][]): Distribution {
  if (d.kind !== 'clustered') return { kind: 'any' };
  return clustered(d.by.flatMap((c) => {
    const ranges = groups.map((members) => members.flatMap((task) => c.ranges[task]!));
    return disjointTasks(ranges) ? [{ column: c.column, ranges }] : [];
  }));
}
