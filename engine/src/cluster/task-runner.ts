/** Runs one task assignment in a fresh connection of the worker's DuckDB, so it can be interrupted alone. */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { computeRangeFilters } from '../exchange/range-bounds.js';
import { registerInputs } from '../exchange/input-views.js';
import { writeTaskOutput, type WrittenTaskOutput } from '../exchange/exchange-writer.js';
import type { TaskAssignment } from './protocol.js';

export class RunningTask {
  private connection: DuckDBConnection | undefined;
  private cancelled = false;

  constructor(readonly assignment: TaskAssignment) {}

  get wasCancelled(): boolean {
    return this.cancelled;
  }

  cancel(): void {
    this.cancelled = true;
    this.connection?.interrupt();
  }

  async run(instance: DuckDBInstance): Promise<WrittenTaskOutput> {
    this.connection = await instance.connect();
    try {
      if (this.cancelled) throw new Error('task cancelled before it started');
      const work = this.assignment.work;
      if (work.kind === 'rangeBounds') {
        const filters = await computeRangeFilters(this.connection, work);
        return { output: { kind: 'rangeBounds', filters }, rows: 0, bytes: 0 };
      }
      await registerInputs(this.connection, work.inputs);
      return await writeTaskOutput(this.connection, work.sql, work.output);
    } finally {
      this.connection.closeSync();
      this.connection = undefined;
    }
  }
}
