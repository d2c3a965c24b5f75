import { describe, expect, test } from 'vitest';
import type { PhysicalPlan } from '../physical/types.js';
import { fairOrder, queuedTaskCount } from './fair-share.js';
import { Job } from './job.js';

function job(id: string, owner: string, tasks: number): Job {
  const plan: PhysicalPlan = {
    stages: [{ id: 0, dependsOn: [], sql: 'SELECT 1', output: { kind: 'result' }, schema: { fields: [] }, description: 's0', tasks: Array.from({ length: tasks }, (_, partition) => ({ partition, inputs: [] })) }],
    resultStageId: 0,
    schema: { fields: [] },
  };
  return new Job(id, plan, id, owner);
}

function take(jobs: Job[], running: Record<string, number>, slots: number): string[] {
  const order: string[] = [];
  for (const work of fairOrder(jobs, new Map(Object.entries(running)))) {
    if (order.length === slots) break;
    order.push(`${work.job.id}/${work.task!.partition}`);
  }
  return order;
}

describe('fair share of free slots', () => {
  test("a free slot goes to the owner with fewer running tasks, even when the other owner's job came first", () => {
    const big = job('big', 'a', 10);
    const small = job('small', 'b', 1);
    expect(take([big, small], { big: 4 }, 1)).toEqual(['small/0']);
  });

  test('owners alternate over several slots; one owner does not get them all', () => {
    expect(take([job('x', 'a', 5), job('y', 'b', 5)], {}, 4)).toEqual(['x/0', 'y/0', 'x/1', 'y/1']);
  });

  test("within an owner its job with fewer running tasks goes first; jobs without an owner are each their own owner", () => {
    expect(take([job('x1', 'a', 3), job('x2', 'a', 3)], { x1: 2 }, 2)).toEqual(['x2/0', 'x2/1']);
    expect(take([job('p', '', 2), job('q', '', 2)], {}, 2)).toEqual(['p/0', 'q/0']);
  });

  test("slots are shared per owner, not per job: a notebook running two jobs gets as many as a notebook running one", () => {
    const order = take([job('a1', 'notebooks/a.ipynb', 4), job('a2', 'notebooks/a.ipynb', 4), job('b', 'notebooks/b.ipynb', 4)], {}, 4);
    expect(order.filter((slot) => slot.startsWith('b/'))).toHaveLength(2);
    expect(order).toEqual(['a1/0', 'b/0', 'a2/0', 'b/1']);
  });

  test('queued tasks count the pending tasks of running jobs only', () => {
    const done = job('done', 'a', 3);
    done.state = 'succeeded';
    expect(queuedTaskCount([job('x', 'a', 3), done])).toBe(3);
  });
});
