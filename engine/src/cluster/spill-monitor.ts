/**
 * Measures DuckDB spilling on a worker: while tasks run, polls the size of the instance's
 * temporary files and keeps each task's peak. DuckDB has one temp directory per instance, so
 * with tasks running side by side the figure is the worker's spill while the task ran.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

const POLL_MS = 100;

export class SpillMonitor {
  private connection: Promise<DuckDBConnection> | undefined;
  private readonly peaks = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private polling = false;

  constructor(private readonly instance: DuckDBInstance) {}

  begin(taskKey: string): void {
    this.peaks.set(taskKey, 0);
    this.timer ??= setInterval(() => void this.poll(), POLL_MS);
  }

  /** The task's peak spill in bytes; stops polling when no task runs. */
  end(taskKey: string): number {
    const peak = this.peaks.get(taskKey) ?? 0;
    this.peaks.delete(taskKey);
    if (this.peaks.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    return peak;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      this.connection ??= this.instance.connect();
      const reader = await (await this.connection).runAndReadAll('SELECT coalesce(sum(size), 0)::BIGINT FROM duckdb_temporary_files()');
      const bytes = Number(reader.getRowsJS()[0]![0]);
      for (const [key, peak] of this.peaks) if (bytes > peak) this.peaks.set(key, bytes);
    } catch (error) {
      // Measuring is best effort; a failure here must not fail tasks, but it is not hidden either.
      console.error('quire worker: measuring DuckDB spill failed:', error);
    } finally {
      this.polling = false;
    }
  }
}
