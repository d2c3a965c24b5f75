/** Runs a query and writes its rows as an Arrow IPC stream file, chunk by chunk. */
import { open } from 'node:fs/promises';
import { RecordBatch, RecordBatchStreamWriter, Schema, Struct, makeData } from 'apache-arrow';
import type { DuckDBConnection } from '@duckdb/node-api';
import { columnConverter } from './arrow-columns.js';

export async function writeQueryAsArrowIpc(connection: DuckDBConnection, sql: string, file: string): Promise<{ rows: number }> {
  const result = await connection.stream(sql);
  const names = result.deduplicatedColumnNames();
  const converters = names.map((name, i) => columnConverter(name, result.columnType(i)));
  const schema = new Schema(converters.map((c) => c.field));
  const writer = new RecordBatchStreamWriter();
  const handle = await open(file, 'w');
  let rows = 0;
  try {
    writer.reset(undefined, schema);
    const flushed = pipeTo(writer, handle);
    for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
      const children = converters.map((c, i) => c.fromChunk(chunk, i));
      const struct = makeData({ type: new Struct(schema.fields), length: chunk.rowCount, nullCount: 0, children });
      writer.write(new RecordBatch(schema, struct));
      rows += chunk.rowCount;
    }
    writer.finish();
    await flushed;
  } finally {
    await handle.close();
  }
  return { rows };
}

/** Bytes gathered before one write: the writer yields several small buffers per batch of 2048 rows. */
const WRITE_BYTES = 4 * 1024 * 1024;

async function pipeTo(writer: RecordBatchStreamWriter, handle: import('node:fs/promises').FileHandle): Promise<void> {
  let pending: Uint8Array[] = [];
  let size = 0;
  const flush = async () => {
    if (size === 0) return;
    const bytes = Buffer.concat(pending, size);
    pending = [];
    size = 0;
    await handle.write(bytes);
  };
  for await (const bytes of writer) {
    pending.push(bytes);
    size += bytes.byteLength;
    if (size >= WRITE_BYTES) await flush();
  }
  await flush();
}
