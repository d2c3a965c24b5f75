/**
 * Fewer, larger tasks for a fragment about to meet a large broadcast. Every task of the streamed
 * side builds its own hash table of the broadcast side, so a stage of 4 tasks on 2 workers builds it
 * 4 times where 2 would do: the workers' cores are just as busy either way. A merged task reads the
 * union of its members' inputs, which gives the same rows for every operator a fragment runs per
 * task (scans, filters, projections, broadcast joins, partial aggregates and top-N), as it would for
 * whole hash or range partitions. The merged layout is no longer `hash % tasks`, so it claims none;
 * a clustering by file ranges is kept while the merged ranges stay disjoint.
 */
import type { TaskInput } from './types.js';
import type { Fragment, Leaf } from './fragment.js';
import { mergedClustering } from './clustering.js';

type FilesInput = Extract<TaskInput, { kind: 'files' }>;
type ExchangeInput = Extract<TaskInput, { kind: 'exchange' }>;

/** The fragment as `groups` tasks, or unchanged when it has no more tasks than that or an input that cannot be merged. */
export function regroupTasks(fragment: Fragment, groups: number): Fragment {
  if (groups < 1 || fragment.tasks <= groups || fragment.singleWorkerReason) return fragment;
  const members = Array.from({ length: groups }, (_, group) => {
    const from = Math.floor((group * fragment.tasks) / groups);
    const to = Math.floor(((group + 1) * fragment.tasks) / groups);
    return Array.from({ length: to - from }, (_, i) => from + i);
  });
  return tasksMerged(fragment, members) ?? fragment;
}

/**
 * The fragment with one task per list of `members` (each task in exactly one list), or undefined when
 * an input cannot be merged.
 */
export function tasksMerged(fragment: Fragment, members: number[][]): Fragment | undefined {
  if (fragment.singleWorkerReason) return undefined;
  const leaves: Leaf[] = [];
  for (const leaf of fragment.leaves) {
    const inputs = Array.from({ length: fragment.tasks }, (_, task) => leaf.inputFor(task, 'probe'));
    if (!inputs.every((input) => mergeable(input, inputs[0]!))) return undefined;
    leaves.push({ ...leaf, inputFor: (group, name) => ({ ...merge(members[group]!.map((task) => leaf.inputFor(task, name))), name }) });
  }
  const groups = members.length;
  return { ...fragment, leaves, tasks: groups, distribution: groups === 1 ? { kind: 'single' } : mergedClustering(fragment.distribution, members) };
}

function mergeable(input: TaskInput, first: TaskInput): boolean {
  if (JSON.stringify(input) === JSON.stringify(first)) return true;
  if (input.kind !== first.kind) return false;
  if (input.kind === 'files') {
    const { files: _a, ...rest } = input;
    const { files: _b, ...firstRest } = first as FilesInput;
    return JSON.stringify(rest) === JSON.stringify(firstRest);
  }
  if (input.kind === 'exchange') {
    const other = first as ExchangeInput;
    return input.partitions !== 'all' && other.partitions !== 'all' && input.stageId === other.stageId;
  }
  return false;
}

/** One input reading what all `inputs` (of one leaf, checked mergeable) read. */
function merge(inputs: TaskInput[]): TaskInput {
  const first = inputs[0]!;
  if (inputs.every((input) => JSON.stringify(input) === JSON.stringify(first))) return first;
  if (first.kind === 'files') return { ...first, files: inputs.flatMap((input) => (input as FilesInput).files) };
  if (first.kind === 'exchange') return { ...first, partitions: inputs.flatMap((input) => (input as ExchangeInput).partitions as number[]) };
  throw new Error(`internal: cannot merge ${first.kind} task inputs`);
}
