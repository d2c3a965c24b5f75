/** `df.write`: files out of a DataFrame, committed atomically by the cluster. */
import type { WrittenOutput } from '../cluster/types.js';
import { AnalysisError } from '../plan/errors.js';
import type { ActionOptions, WriteRequest } from './host.js';

type WriteMode = WriteRequest['mode'];

export interface WriteOptions {
  /** 'error' (the default) refuses an existing target; 'overwrite' replaces it; 'append' adds files. */
  mode?: WriteMode;
  /** Columns to lay the output out by, as hive `key=value` directories. */
  partitionBy?: string | string[];
  /** CSV only. */
  header?: boolean;
  /** CSV only. */
  delimiter?: string;
  signal?: AbortSignal;
  onProgress?: ActionOptions['onProgress'];
}

const MODES: Record<string, WriteMode> = { error: 'error', errorifexists: 'error', overwrite: 'overwrite', append: 'append' };

export class DataFrameWriter {
  private settings: { mode?: WriteMode; partitionBy?: string[] } = {};

  constructor(private readonly run: (request: WriteRequest, options?: ActionOptions) => Promise<WrittenOutput>) {}

  mode(mode: string): DataFrameWriter {
    const m = MODES[mode.toLowerCase()];
    if (!m) throw new AnalysisError(`unknown write mode '${mode}'; use error, overwrite or append`);
    this.settings.mode = m;
    return this;
  }

  partitionBy(...columns: string[]): DataFrameWriter {
    this.settings.partitionBy = columns.flat();
    return this;
  }

  parquet(path: string, options: WriteOptions = {}): Promise<WrittenOutput> {
    return this.save('parquet', path, options);
  }

  csv(path: string, options: WriteOptions = {}): Promise<WrittenOutput> {
    return this.save('csv', path, options);
  }

  /** JSON lines, one object per row. */
  json(path: string, options: WriteOptions = {}): Promise<WrittenOutput> {
    return this.save('json', path, options);
  }

  private save(format: WriteRequest['format'], path: string, options: WriteOptions): Promise<WrittenOutput> {
    if (typeof path !== 'string' || path.trim() === '') throw new AnalysisError('write needs a target path');
    const modeName = options.mode ?? this.settings.mode ?? 'error';
    const mode = MODES[modeName.toLowerCase()];
    if (!mode) throw new AnalysisError(`unknown write mode '${modeName}'; use error, overwrite or append`);
    const partitionBy = options.partitionBy === undefined ? this.settings.partitionBy ?? [] : [options.partitionBy].flat();
    const request: WriteRequest = { format, path, mode, partitionBy };
    if (format === 'csv') request.csv = { header: options.header ?? true, delimiter: options.delimiter ?? ',' };
    else if (options.header !== undefined || options.delimiter !== undefined) {
      throw new AnalysisError(`header and delimiter are CSV options; they do not apply to ${format}`);
    }
    return this.run(request, { ...(options.signal ? { signal: options.signal } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });
  }
}
