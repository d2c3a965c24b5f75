/** The nbformat 4 shapes the UI reads and writes (`.ipynb` files are plain Jupyter notebooks). */
export type MimeBundle = Record<string, unknown>;

export interface StreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: string;
}
export interface DisplayOutput {
  output_type: 'display_data' | 'execute_result';
  data: MimeBundle;
  metadata: Record<string, unknown>;
  execution_count?: number | null;
  /** Not saved: lets update_display_data find the output it replaces. */
  transient?: { display_id?: string };
}
export interface ErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}
export type Output = StreamOutput | DisplayOutput | ErrorOutput;

export type CellType = 'code' | 'markdown' | 'raw';

export interface CellJson {
  id?: string;
  cell_type: CellType;
  source: string | string[];
  metadata: Record<string, unknown>;
  outputs?: Output[];
  execution_count?: number | null;
}

export interface NotebookJson {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: CellJson[];
}

export function joinSource(source: string | string[]): string {
  return Array.isArray(source) ? source.join('') : source;
}

/** Output as nbformat stores it: multi-line strings kept whole, transient fields dropped. */
export function outputToJson(output: Output): Output {
  if (output.output_type === 'display_data' || output.output_type === 'execute_result') {
    const { transient: _transient, ...saved } = output;
    return saved;
  }
  return output;
}

export function emptyNotebook(kernelName: string): NotebookJson {
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: kernelName, display_name: kernelName },
      language_info: { name: kernelName === 'quire' ? 'typescript' : kernelName },
    },
    cells: [{ id: newCellId(), cell_type: 'code', source: '', metadata: {}, outputs: [], execution_count: null }],
  };
}

export function newCellId(): string {
  return crypto.randomUUID().slice(0, 8);
}
