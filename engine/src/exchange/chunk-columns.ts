/**
 * A result chunk's column as Arrow buffers, copied straight out of DuckDB's vectors. Reading cells
 * as JavaScript values first (a string or BigInt per cell) was most of the time of writing a
 * result: 17 of 24 ms for Q16's 18 288 rows. Result chunks hold flat vectors, laid out as in
 * DuckDB's C API: fixed-width values in native (little-endian) order, a validity mask of 64-bit
 * words (bit i of the mask is row i, as in Arrow's bitmap), and VARCHAR as 16-byte string_t
 * records (a 32-bit length, then the bytes inline up to 12, else a prefix and a pointer).
 */
import duckdb from '@duckdb/node-bindings';
import type { DuckDBDataChunk } from '@duckdb/node-api';
import { DuckDBTypeId, type DuckDBType } from '@duckdb/node-api';

export interface ChunkValidity {
  /** Arrow's null bitmap; empty when every row is valid. */
  nullBitmap: Uint8Array;
  nullCount: number;
}

/** Fixed-width columns: the bytes per value, for the types read as raw buffers. */
const WIDTHS: Partial<Record<DuckDBTypeId, number>> = {
  [DuckDBTypeId.TINYINT]: 1, [DuckDBTypeId.UTINYINT]: 1, [DuckDBTypeId.SMALLINT]: 2, [DuckDBTypeId.USMALLINT]: 2,
  [DuckDBTypeId.INTEGER]: 4, [DuckDBTypeId.UINTEGER]: 4, [DuckDBTypeId.BIGINT]: 8, [DuckDBTypeId.UBIGINT]: 8,
  [DuckDBTypeId.FLOAT]: 4, [DuckDBTypeId.DOUBLE]: 8, [DuckDBTypeId.DATE]: 4,
  [DuckDBTypeId.TIMESTAMP]: 8, [DuckDBTypeId.TIMESTAMP_TZ]: 8,
};

/** Which reader takes a column of this type from DuckDB's buffers; undefined: read value by value. */
export function readsRaw(type: DuckDBType): 'fixed' | 'varchar' | 'decimal' | undefined {
  if (type.typeId === DuckDBTypeId.VARCHAR) return 'varchar';
  if (type.typeId === DuckDBTypeId.DECIMAL) return 'decimal';
  return WIDTHS[type.typeId] !== undefined ? 'fixed' : undefined;
}

function vectorOf(chunk: DuckDBDataChunk, column: number): duckdb.Vector {
  return duckdb.data_chunk_get_vector(chunk.chunk, column);
}

export function readValidity(chunk: DuckDBDataChunk, column: number): ChunkValidity {
  const rows = chunk.rowCount;
  const mask = duckdb.vector_get_validity(vectorOf(chunk, column), Math.ceil(rows / 64) * 8);
  if (!mask) return { nullBitmap: new Uint8Array(0), nullCount: 0 };
  const nullBitmap = mask.slice(0, Math.ceil(rows / 8));
  let valid = 0;
  for (let i = 0; i < rows; i++) valid += (nullBitmap[i >> 3]! >> (i & 7)) & 1;
  return valid === rows ? { nullBitmap: new Uint8Array(0), nullCount: 0 } : { nullBitmap, nullCount: rows - valid };
}

/** The column's values as a copy of its buffer (bytes per value from the type). */
export function readFixedWidth(chunk: DuckDBDataChunk, column: number, type: DuckDBType): Uint8Array {
  const width = WIDTHS[type.typeId];
  if (width === undefined) throw new Error(`internal: ${type.toString()} is not read as a fixed-width buffer`);
  return duckdb.vector_get_data(vectorOf(chunk, column), chunk.rowCount * width).slice();
}

/** A DECIMAL column as 128-bit two's complement words (Arrow's Decimal128), from its stored width. */
export function readDecimal(chunk: DuckDBDataChunk, column: number, width: number, validity: ChunkValidity): Uint32Array {
  const rows = chunk.rowCount;
  // DuckDB stores a DECIMAL of width <= 4 in 16 bits, <= 9 in 32, <= 18 in 64, else in 128.
  const bytes = width <= 4 ? 2 : width <= 9 ? 4 : width <= 18 ? 8 : 16;
  const raw = duckdb.vector_get_data(vectorOf(chunk, column), rows * bytes);
  const view = new DataView(raw.buffer, raw.byteOffset, rows * bytes);
  const words = new Uint32Array(rows * 4);
  for (let i = 0; i < rows; i++) {
    if (!isValid(validity, i)) continue;
    if (bytes === 16) {
      // hugeint_t: the low 64 bits unsigned, then the high 64 bits signed.
      words[i * 4] = view.getUint32(i * 16, true);
      words[i * 4 + 1] = view.getUint32(i * 16 + 4, true);
      words[i * 4 + 2] = view.getUint32(i * 16 + 8, true);
      words[i * 4 + 3] = view.getUint32(i * 16 + 12, true);
      continue;
    }
    const value = bytes === 2 ? view.getInt16(i * 2, true) : bytes === 4 ? view.getInt32(i * 4, true) : undefined;
    if (value !== undefined) {
      words[i * 4] = value >>> 0;
      const sign = value < 0 ? 0xffffffff : 0;
      words[i * 4 + 1] = sign;
      words[i * 4 + 2] = sign;
      words[i * 4 + 3] = sign;
    } else {
      words[i * 4] = view.getUint32(i * 8, true);
      const high = view.getInt32(i * 8 + 4, true);
      words[i * 4 + 1] = high >>> 0;
      const sign = high < 0 ? 0xffffffff : 0;
      words[i * 4 + 2] = sign;
      words[i * 4 + 3] = sign;
    }
  }
  return words;
}

/**
 * Strings whose bytes lie at most this far apart in memory are copied out of DuckDB in one read. A
 * read that spans a gap between two valid strings of less than a page only touches pages those
 * strings are on, so it is safe whichever allocations they belong to; the gap's bytes are skipped.
 */
const MAX_GAP_BYTES = 256;

/**
 * A VARCHAR column as Arrow Utf8 offsets and bytes; null rows are empty strings. Strings of up to 12
 * bytes are inline in their records; longer ones are read through their pointers, a run of nearby
 * strings at a time: one native call per string was most of the time of a result with millions of
 * names (3.7 M rows, 2.7 of 3.2 s).
 */
export function readVarChar(chunk: DuckDBDataChunk, column: number, validity: ChunkValidity): { valueOffsets: Int32Array; data: Uint8Array } {
  const rows = chunk.rowCount;
  const records = duckdb.vector_get_data(vectorOf(chunk, column), rows * 16);
  const view = new DataView(records.buffer, records.byteOffset, rows * 16);
  const valueOffsets = new Int32Array(rows + 1);
  const pointed: number[] = [];
  let total = 0;
  for (let i = 0; i < rows; i++) {
    const length = isValid(validity, i) ? view.getUint32(i * 16, true) : 0;
    if (length > 12) pointed.push(i);
    total += length;
    valueOffsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < rows; i++) {
    const length = valueOffsets[i + 1]! - valueOffsets[i]!;
    // A few bytes each: copied in place, as a view per string would cost more than its bytes.
    if (length <= 12) for (let b = 0, to = valueOffsets[i]!, from = i * 16 + 4; b < length; b++) data[to + b] = records[from + b]!;
  }
  copyPointedStrings(view, pointed, valueOffsets, data);
  return { valueOffsets, data };
}

/** Copies the strings of `rows` (records with pointers) into `data`, one read per run of nearby strings. */
function copyPointedStrings(view: DataView, rows: number[], valueOffsets: Int32Array, data: Uint8Array): void {
  const count = rows.length;
  // User-space addresses fit in 47 bits, so they are exact as numbers.
  const at = new Float64Array(count);
  for (let k = 0; k < count; k++) at[k] = view.getUint32(rows[k]! * 16 + 8, true) + view.getUint32(rows[k]! * 16 + 12, true) * 2 ** 32;
  const order = new Uint32Array(count);
  for (let k = 0; k < count; k++) order[k] = k;
  order.sort((a, b) => at[a]! - at[b]!);
  const lengthOf = (k: number) => valueOffsets[rows[k]! + 1]! - valueOffsets[rows[k]!]!;
  const pointer = new DataView(new ArrayBuffer(8));
  for (let first = 0; first < count;) {
    const start = at[order[first]!]!;
    let end = start + lengthOf(order[first]!);
    let last = first + 1;
    while (last < count && at[order[last]!]! <= end + MAX_GAP_BYTES) {
      end = Math.max(end, at[order[last]!]! + lengthOf(order[last]!));
      last++;
    }
    pointer.setBigUint64(0, BigInt(start), true);
    const span = duckdb.get_data_from_pointer(pointer.buffer as ArrayBuffer, 0, end - start);
    for (let k = first; k < last; k++) {
      const member = order[k]!;
      const from = at[member]! - start;
      data.set(span.subarray(from, from + lengthOf(member)), valueOffsets[rows[member]!]!);
    }
    first = last;
  }
}

function isValid(validity: ChunkValidity, row: number): boolean {
  return validity.nullCount === 0 || ((validity.nullBitmap[row >> 3]! >> (row & 7)) & 1) === 1;
}
