import * as duckdb from '@duckdb/duckdb-wasm';
import { tableFromIPC, tableToIPC } from 'apache-arrow';
import mvpWasm from '@duckdb/duckdb-wasm/dist/duckdb-mvp.wasm?url';
import mvpWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-mvp.worker.js?url';
import ehWasm from '@duckdb/duckdb-wasm/dist/duckdb-eh.wasm?url';
import ehWorker from '@duckdb/duckdb-wasm/dist/duckdb-browser-eh.worker.js?url';
import { quoteIdent } from './sql-quote.js';

/**
 * One duckdb-wasm database for every result table in the window. The single-threaded "eh" bundle
 * (or "mvp" where wasm exceptions are missing) is served from the app's own files — never a CDN.
 */
const bundles: duckdb.DuckDBBundles = {
  mvp: { mainModule: mvpWasm, mainWorker: mvpWorker },
  eh: { mainModule: ehWasm, mainWorker: ehWorker },
};

let database: Promise<duckdb.AsyncDuckDB> | null = null;
let tableCounter = 0;

function openDatabase(): Promise<duckdb.AsyncDuckDB> {
  database ??= (async () => {
    const bundle = await duckdb.selectBundle(bundles);
    const worker = new Worker(new URL(bundle.mainWorker!, location.href).href);
    const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
    await db.instantiate(new URL(bundle.mainModule, location.href).href);
    return db;
  })();
  return database;
}

/** A result loaded into duckdb-wasm: its table name and an open connection to query it. */
export interface LoadedTable {
  name: string;
  connection: duckdb.AsyncDuckDBConnection;
  columns: Array<{ name: string; type: string }>;
  drop(): Promise<void>;
}

/** Loads a kernel's Arrow payload (base64 Arrow IPC, file or stream format) into a new table. */
export async function loadArrowPayload(base64: string): Promise<LoadedTable> {
  const bytes = decodeBase64(base64);
  // The kernel sends the IPC *file* format; duckdb-wasm reads the *stream* format.
  const arrowTable = tableFromIPC(bytes);
  const stream = tableToIPC(arrowTable, 'stream');
  const db = await openDatabase();
  const connection = await db.connect();
  const name = `result_${++tableCounter}`;
  await connection.insertArrowFromIPCStream(stream, { name, create: true });
  const columns = arrowTable.schema.fields.map((field) => ({ name: field.name, type: String(field.type) }));
  return {
    name,
    connection,
    columns,
    async drop() {
      await connection.query(`DROP TABLE IF EXISTS ${quoteIdent(name)}`);
      await connection.close();
    },
  };
}

function decodeBase64(base64: string): Uint8Array {
  const binary = atob(base64.replace(/\s/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
