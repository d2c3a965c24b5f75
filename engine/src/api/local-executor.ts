/**
 * Runs each plan as one query in the driver's DuckDB (the plan rendered by renderPlan): the
 * single-process reference, for small local data and for checking the cluster's answers. Local
 * files only; S3 sources need the cluster.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { tableFromIPC, type Table } from 'apache-arrow';
import type { WrittenOutput } from '../cluster/types.js';
import { writeQueryAsArrowIpc } from '../exchange/arrow-result.js';
import { loadValuesInput } from '../exchange/values-input.js';
import { checkWriteTarget } from '../io/commitWrite.js';
import { isS3Url } from '../io/s3Url.js';
import { planChildren } from '../plan/expr-walk.js';
import { quoteIdent, quoteString, renderPlan } from '../plan/render.js';
import type { LogicalPlan } from '../plan/types.js';
import { describePlan } from '../plan/describe.js';
import type { Executor, RunOptions } from './executor.js';
import type { WriteRequest } from './host.js';

export class LocalExecutor implements Executor {
  constructor(private readonly connection: DuckDBConnection, private readonly scratchDir: string) {}

  async physicalText(plan: LogicalPlan): Promise<string> {
    return `Single process (driver DuckDB), one query:\n${describePlan(plan)}`;
  }

  /** Registers `values` nodes as temporary tables and renders the plan over them. */
  private async prepare(plan: LogicalPlan): Promise<string> {
    const names = new Map<LogicalPlan, string>();
    const visit = async (node: LogicalPlan): Promise<void> => {
      if (node.op === 'scan' && node.source.files.some((f) => isS3Url(f.path))) {
        throw new Error('a local session reads local files only; start a cluster to read s3:// sources');
      }
      if (node.op === 'values' && !names.has(node)) {
        const name = `values_${randomUUID().replace(/-/g, '')}`;
        await loadValuesInput(this.connection, { kind: 'values', name, arrowIpcBase64: node.arrowIpcBase64, schema: node.schema });
        names.set(node, name);
      }
      for (const child of planChildren(node)) await visit(child);
    };
    await visit(plan);
    return renderPlan(plan, { valuesRelation: (node) => names.get(node)! });
  }

  async run(plan: LogicalPlan, options: RunOptions): Promise<Table> {
    options.signal.throwIfAborted();
    const sql = await this.prepare(plan);
    const file = join(this.scratchDir, `result-${randomUUID()}.arrows`);
    try {
      await this.interruptible(options.signal, () => writeQueryAsArrowIpc(this.connection, sql, file));
      return tableFromIPC(readFileSync(file));
    } finally {
      rmSync(file, { force: true });
    }
  }

  async write(plan: LogicalPlan, request: WriteRequest, options: RunOptions): Promise<WrittenOutput> {
    if (isS3Url(request.path)) throw new Error('a local session writes local paths only; start a cluster to write to s3://');
    await checkWriteTarget(request.path, request.mode);
    if (request.mode === 'overwrite') rmSync(request.path, { recursive: true, force: true });
    mkdirSync(request.path, { recursive: true });
    const before = new Set(dataFiles(request.path));
    const sql = await this.prepare(plan);
    const copyOptions = [`FORMAT ${request.format}`];
    if (request.format === 'csv') copyOptions.push(`HEADER ${request.csv?.header ?? true}`, `DELIMITER ${quoteString(request.csv?.delimiter ?? ',')}`);
    let target = join(request.path, `part-${randomUUID()}.${request.format}`);
    if (request.partitionBy.length > 0) {
      target = request.path;
      copyOptions.push(`PARTITION_BY (${request.partitionBy.map(quoteIdent).join(', ')})`, "FILENAME_PATTERN 'part-{uuid}'", 'OVERWRITE_OR_IGNORE true');
    }
    const reader = await this.interruptible(options.signal, () =>
      this.connection.runAndReadAll(`COPY (${sql}) TO ${quoteString(target)} (${copyOptions.join(', ')})`),
    );
    writeFileSync(join(request.path, '_SUCCESS'), '');
    const rows = Number(reader.getRows()[0]?.[0] ?? 0);
    const files = dataFiles(request.path).filter((f) => !before.has(f));
    return { path: request.path, format: request.format, files, rows, bytes: files.reduce((n, f) => n + statSync(f).size, 0) };
  }

  /** Interrupts DuckDB when the signal fires, so a cancelled cell stops the query. */
  private async interruptible<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
    const onAbort = () => this.connection.interrupt();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await work();
    } finally {
      signal.removeEventListener('abort', onAbort);
      signal.throwIfAborted();
    }
  }

  async stop(): Promise<void> {}
}

/** Data files under a write target (appends leave earlier ones in place). */
function dataFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.startsWith('part-'))
    .map((e) => join(e.parentPath, e.name));
}
