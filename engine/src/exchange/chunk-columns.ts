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

/** A VARCHAR column as Arrow Utf8 offsets and bytes; null rows are empty strings. */
export function readVarChar(chunk: DuckDBDataChunk, column: number, validity: ChunkValidity): { valueOffsets: Int32Array; data: Uint8Array } {
  const rows = chunk.rowCount;
  const records = duckdb.vector_get_data(vectorOf(chunk, column), rows * 16);
  const view = new DataView(records.buffer, records.byteOffset, rows * 16);
  const valueOffsets = new Int32Array(rows + 1);
  let total = 0;
  for (let i = 0; i < rows; i++) {
    if (isValid(validity, i)) total += view.getUint32(i * 16, true);
    valueOffsets[i + 1] = total;
  }
  const data = new Uint8Array(total);
  for (let i = 0; i < rows; i++) {
    const length = valueOffsets[i + 1]! - valueOffsets[i]!;
    if (length === 0) continue;
    const at = records.byteOffset + i * 16;
    data.set(
      length <= 12
        ? new Uint8Array(records.buffer, at + 4, length)
        : duckdb.get_data_from_pointer(records.buffer as ArrayBuffer, at + 8, length),
      valueOffsets[i]!,
    );
  }
  return { valueOffsets, data };
}

function isValid(validity: ChunkValidity, row: number): boolean {
  return validity.nullCount === 0 || ((validity.nullBitmap[row >> 3]! >> (row & 7)) & 1) === 1;
}
