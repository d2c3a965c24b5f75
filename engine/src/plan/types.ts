/**
 * The logical plan: what a DataFrame or a SQL query asks for, independent of how it runs.
 * Every node and expression is plain JSON-serializable data so plans can be printed, compared,
 * rewritten by optimizer rules and shipped between processes.
 */

/** A DuckDB type name exactly as DuckDB prints it ('BIGINT', 'DECIMAL(15,2)', 'VARCHAR', 'DATE', ...). */
export type DataType = string;

export interface Field {
  name: string;
  type: DataType;
  nullable: boolean;
  /** Table alias the column can be qualified with (`l.l_orderkey`), if any. */
  qualifier?: string;
}

export interface Schema {
  fields: Field[];
}

export interface SortKey {
  expr: Expr;
  ascending: boolean;
  nullsFirst: boolean;
}

export interface WindowSpec {
  partitionBy: Expr[];
  orderBy: SortKey[];
  /** A frame clause in DuckDB syntax (`ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW`), when given. */
  frame?: string;
}

export type Expr =
  | { kind: 'column'; name: string; qualifier?: string }
  | { kind: 'literal'; value: string | number | boolean | null; type: DataType }
  /** Scalar functions and operators, by DuckDB name: '+', '=', 'and', 'not', 'lower', 'year', ... */
  | { kind: 'call'; fn: string; args: Expr[] }
  | { kind: 'cast'; expr: Expr; to: DataType }
  | { kind: 'case'; branches: { when: Expr; then: Expr }[]; otherwise?: Expr }
  | { kind: 'agg'; fn: string; args: Expr[]; distinct: boolean; filter?: Expr }
  | { kind: 'window'; fn: string; args: Expr[]; distinct?: boolean; spec: WindowSpec }
  | { kind: 'alias'; expr: Expr; name: string }
  | { kind: 'star'; qualifier?: string }
  /** A DuckDB expression kept as SQL text; `refs` lists every column it reads. */
  | { kind: 'sql'; text: string; refs: { name: string; qualifier?: string }[] };

export type JoinType = 'inner' | 'left' | 'right' | 'full' | 'semi' | 'anti' | 'cross';

export type FileFormat = 'parquet' | 'csv' | 'json';

export interface CsvOptions {
  header: boolean;
  delimiter: string;
  inferSchema: boolean;
  /** Explicit column names and DuckDB types, in file order. */
  schema?: Field[];
  /** 'failfast' raises on the first malformed row; 'permissive' drops malformed rows and counts them. */
  mode: 'failfast' | 'permissive';
}

export interface FileSource {
  format: FileFormat;
  /** What the user gave (local paths, globs or s3:// URLs). */
  paths: string[];
  /** Files found when the source was resolved, with sizes; hive partition values parsed from directories. */
  files: { path: string; size: number; partitionValues: Record<string, string> }[];
  /** Hive partition columns discovered from `key=value` directories. */
  partitionColumns: Field[];
  csv?: CsvOptions;
}

export type LogicalPlan =
  | { op: 'scan'; source: FileSource; schema: Schema; projection?: string[]; filters: Expr[] }
  /** Rows given by the user (`createDataFrame`), as a base64 Arrow IPC stream. */
  | { op: 'values'; arrowIpcBase64: string; schema: Schema; rowCount: number }
  | { op: 'range'; start: number; end: number; step: number; numPartitions?: number; schema: Schema }
  | { op: 'project'; input: LogicalPlan; exprs: Expr[]; schema: Schema }
  | { op: 'filter'; input: LogicalPlan; predicate: Expr; schema: Schema }
  | { op: 'aggregate'; input: LogicalPlan; groupBy: Expr[]; aggs: Expr[]; schema: Schema }
  | { op: 'join'; left: LogicalPlan; right: LogicalPlan; type: JoinType; condition?: Expr; schema: Schema }
  | { op: 'sort'; input: LogicalPlan; keys: SortKey[]; schema: Schema }
  | { op: 'limit'; input: LogicalPlan; limit: number; offset: number; schema: Schema }
  | { op: 'distinct'; input: LogicalPlan; schema: Schema }
  | { op: 'union'; inputs: LogicalPlan[]; all: boolean; byName: boolean; schema: Schema }
  | { op: 'repartition'; input: LogicalPlan; numPartitions: number; keys: Expr[]; schema: Schema }
  | { op: 'window'; input: LogicalPlan; windows: Expr[]; schema: Schema }
  /** Renames the relation so its columns can be qualified (`FROM lineitem l`). */
  | { op: 'alias'; input: LogicalPlan; alias: string; schema: Schema }
  /**
   * A query the planner does not distribute: it runs as written on one worker after each named
   * input has been computed and gathered there. `reason` is shown by explain().
   */
  | { op: 'opaque'; sql: string; inputs: Record<string, LogicalPlan>; reason: string; schema: Schema };

export type LogicalOp = LogicalPlan['op'];
