/** Runs one task assignment in a fresh connection of the worker's DuckDB, so it can be interrupted alone. */
import { join } from 'node:path';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { computeRangeFilters } from '../exchange/range-bounds.js';
import { prepareTaskInputs, withRelations } from '../exchange/input-views.js';
import { writeTaskOutput, type WrittenTaskOutput } from '../exchange/exchange-writer.js';
import { uploadWrittenFiles } from '../exchange/upload-written.js';
import type { MalformedRows } from '../io/csvInput.js';
import type { TaskAssignment } from './protocol.js';

export interface TaskResult extends WrittenTaskOutput {
  /** Rows dropped from CSV inputs read in 'permissive' mode. */
  malformedRows: MalformedRows[];
}

export class RunningTask {
  private connection: DuckDBConnection | undefined;
  private cancelled = false;
  /** Stops S3 transfers, which DuckDB's interrupt() does not reach. */
  private readonly abort = new AbortController();

  constructor(readonly assignment: TaskAssignment) {}

  get wasCancelled(): boolean {
    return this.cancelled;
  }

  cancel(): void {
    this.cancelled = true;
    this.abort.abort(new Error('task cancelled'));
    this.connection?.interrupt();
  }

  /** `scratchDir` is the worker's: S3 inputs are cached under it. */
  async run(instance: DuckDBInstance, scratchDir: string): Promise<TaskResult> {
    this.connection = await instance.connect();
    try {
      if (this.cancelled) throw new Error('task cancelled before it started');
      const work = this.assignment.work;
      if (work.kind === 'rangeBounds') {
        const filters = await computeRangeFilters(this.connection, work);
        return { output: { kind: 'rangeBounds', filters }, rows: 0, bytes: 0, malformedRows: [] };
      }
      const { s3 } = this.assignment;
      const signal = this.abort.signal;
      const malformedRows: MalformedRows[] = [];
      const inputs = await prepareTaskInputs(this.connection, work.inputs, {
        scratchDir: join(scratchDir, 'io-cache'),
        ...(s3 ? { s3 } : {}),
        signal,
        onMalformedRows: (rows) => malformedRows.push(rows),
      });
      const sql = withRelations(work.sql, [...inputs, ...(work.views ?? [])]);
      const written = await writeTaskOutput(this.connection, sql, work.output);
      if (work.output.kind === 'write' && work.output.uploadTo && written.output.kind === 'write') {
        await uploadWrittenFiles(work.output.dir, written.output.files, work.output.uploadTo, s3, signal);
        return { ...written, output: { ...written.output, dir: work.output.uploadTo }, malformedRows };
      }
      return { ...written, malformedRows };
    } finally {
      this.connection.closeSync();
      this.connection = undefined;
    }
  }
}
