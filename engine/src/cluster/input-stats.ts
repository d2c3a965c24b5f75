/**
 * What a task read from exchanges: the rows and bytes their producers reported writing into the
 * files it was given (so no footer is read again). File inputs are measured by the planner's splits.
 */
import type { TaskAssignment } from './protocol.js';

export function exchangeInputStats(assignment: TaskAssignment): { rowsIn: number; bytesIn: number } {
  const work = assignment.work;
  const reads = work.kind === 'rangeBounds' ? [work] : work.inputs.flatMap((input) => (input.kind === 'exchangeFiles' ? [input] : []));
  return { rowsIn: reads.reduce((sum, read) => sum + read.rows, 0), bytesIn: reads.reduce((sum, read) => sum + read.bytes, 0) };
}
