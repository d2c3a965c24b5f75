/**
 * DuckDB column values -> apache-arrow Data, built buffer by buffer so every type keeps its exact
 * representation: BIGINT stays Int64, DECIMAL becomes Decimal128 (two's complement, little-endian
 * 32-bit words, which is what apache-arrow 17 reads), DATE is days and TIMESTAMP microseconds.
 * Types without a faithful Arrow mapping here (INTERVAL, LIST, STRUCT, HUGEINT, ...) become UTF-8
 * text; every field records its DuckDB type in the `quire.duckdb_type` metadata key.
 */
import {
  Bool, DateDay, Decimal, Field, Float32, Float64, Int16, Int32, Int64, Int8, TimestampMicrosecond,
  Uint16, Uint32, Uint64, Uint8, Utf8, makeData, type Data, type DataType,
} from 'apache-arrow';
import { DuckDBTypeId, type DuckDBDataChunk, type DuckDBType, type DuckDBValue } from '@duckdb/node-api';
import { readDecimal, readFixedWidth, readsRaw, readValidity, readVarChar } from './chunk-columns.js';

export const DUCKDB_TYPE_METADATA_KEY = 'quire.duckdb_type';

export interface ColumnConverter {
  field: Field;
  toData(values: readonly DuckDBValue[]): Data;
  /** The column of a result chunk, read from DuckDB's buffers where the type allows (chunk-columns.ts). */
  fromChunk(chunk: DuckDBDataChunk, column: number): Data;
}

export function columnConverter(name: string, duckType: DuckDBType): ColumnConverter {
  const type = arrowTypeFor(duckType);
  const metadata = new Map([[DUCKDB_TYPE_METADATA_KEY, duckType.toString()]]);
  const field = new Field(name, type, true, metadata);
  return {
    field,
    toData: (values) => buildData(type, duckType, values),
    fromChunk: (chunk, column) => chunkData(type, duckType, chunk, column),
  };
}

function chunkData(type: DataType, duckType: DuckDBType, chunk: DuckDBDataChunk, column: number): Data {
  const raw = readsRaw(duckType);
  if (!raw) return buildData(type, duckType, chunk.getColumnValues(column));
  const validity = readValidity(chunk, column);
  const base = { type, length: chunk.rowCount, nullCount: validity.nullCount, nullBitmap: validity.nullBitmap } as const;
  switch (raw) {
    case 'varchar':
      return makeData({ ...base, type: type as Utf8, ...readVarChar(chunk, column, validity) });
    case 'decimal': {
      const { width } = duckType as unknown as { width: number };
      return makeData({ ...base, type: type as Decimal, data: readDecimal(chunk, column, width, validity) });
    }
    case 'fixed': {
      const bytes = readFixedWidth(chunk, column, duckType);
      const ArrayType = (type as DataType & { ArrayType: new (buffer: ArrayBufferLike, offset: number, length: number) => ArrayLike<unknown> }).ArrayType;
      return makeData({ ...base, data: new ArrayType(bytes.buffer, bytes.byteOffset, chunk.rowCount) } as never);
    }
  }
}

function arrowTypeFor(duckType: DuckDBType): DataType {
  switch (duckType.typeId) {
    case DuckDBTypeId.BOOLEAN: return new Bool();
    case DuckDBTypeId.TINYINT: return new Int8();
    case DuckDBTypeId.SMALLINT: return new Int16();
    case DuckDBTypeId.INTEGER: return new Int32();
    case DuckDBTypeId.BIGINT: return new Int64();
    case DuckDBTypeId.UTINYINT: return new Uint8();
    case DuckDBTypeId.USMALLINT: return new Uint16();
    case DuckDBTypeId.UINTEGER: return new Uint32();
    case DuckDBTypeId.UBIGINT: return new Uint64();
    case DuckDBTypeId.FLOAT: return new Float32();
    case DuckDBTypeId.DOUBLE: return new Float64();
    case DuckDBTypeId.DATE: return new DateDay();
    case DuckDBTypeId.TIMESTAMP: return new TimestampMicrosecond();
    case DuckDBTypeId.TIMESTAMP_TZ: return new TimestampMicrosecond('UTC');
    case DuckDBTypeId.DECIMAL: {
      const { width, scale } = duckType as unknown as { width: number; scale: number };
      return new Decimal(scale, width, 128);
    }
    default: return new Utf8();
  }
}

function buildData(type: DataType, duckType: DuckDBType, values: readonly DuckDBValue[]): Data {
  const length = values.length;
  const { nullBitmap, nullCount } = validity(values);
  const base = { type, length, nullCount, nullBitmap } as const;
  switch (duckType.typeId) {
    case DuckDBTypeId.BOOLEAN: {
      const bits = new Uint8Array(Math.ceil(length / 8));
      values.forEach((v, i) => { if (v === true) bits[i >> 3]! |= 1 << (i & 7); });
      return makeData({ ...base, type: type as Bool, data: bits });
    }
    case DuckDBTypeId.TINYINT: return makeData({ ...base, type: type as Int8, data: Int8Array.from(values, numberOrZero) });
    case DuckDBTypeId.SMALLINT: return makeData({ ...base, type: type as Int16, data: Int16Array.from(values, numberOrZero) });
    case DuckDBTypeId.INTEGER: return makeData({ ...base, type: type as Int32, data: Int32Array.from(values, numberOrZero) });
    case DuckDBTypeId.UTINYINT: return makeData({ ...base, type: type as Uint8, data: Uint8Array.from(values, numberOrZero) });
    case DuckDBTypeId.USMALLINT: return makeData({ ...base, type: type as Uint16, data: Uint16Array.from(values, numberOrZero) });
    case DuckDBTypeId.UINTEGER: return makeData({ ...base, type: type as Uint32, data: Uint32Array.from(values, numberOrZero) });
    case DuckDBTypeId.FLOAT: return makeData({ ...base, type: type as Float32, data: Float32Array.from(values, numberOrZero) });
    case DuckDBTypeId.DOUBLE: return makeData({ ...base, type: type as Float64, data: Float64Array.from(values, numberOrZero) });
    case DuckDBTypeId.BIGINT: return makeData({ ...base, type: type as Int64, data: BigInt64Array.from(values, bigintOrZero) });
    case DuckDBTypeId.UBIGINT: return makeData({ ...base, type: type as Uint64, data: BigUint64Array.from(values, bigintOrZero) });
    case DuckDBTypeId.DATE:
      return makeData({ ...base, type: type as DateDay, data: Int32Array.from(values, (v) => (v === null ? 0 : (v as { days: number }).days)) });
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
      return makeData({ ...base, type: type as TimestampMicrosecond, data: BigInt64Array.from(values, (v) => (v === null ? 0n : (v as { micros: bigint }).micros)) });
    case DuckDBTypeId.DECIMAL:
      return makeData({ ...base, type: type as Decimal, data: decimalWords(values) });
    default:
      return utf8Data(base, values);
  }
}

function validity(values: readonly DuckDBValue[]): { nullBitmap: Uint8Array; nullCount: number } {
  const nullBitmap = new Uint8Array(Math.ceil(values.length / 8));
  let nullCount = 0;
  values.forEach((v, i) => {
    if (v === null) nullCount++;
    else nullBitmap[i >> 3]! |= 1 << (i & 7);
  });
  return { nullBitmap, nullCount };
}

function numberOrZero(v: DuckDBValue): number {
  return v === null ? 0 : Number(v);
}

function bigintOrZero(v: DuckDBValue): bigint {
  return v === null ? 0n : BigInt(v as bigint | number);
}

/** Each unscaled decimal as a 128-bit two's complement integer in four little-endian 32-bit words. */
function decimalWords(values: readonly DuckDBValue[]): Uint32Array {
  const words = new Uint32Array(values.length * 4);
  values.forEach((v, i) => {
    if (v === null) return;
    let unscaled = BigInt.asUintN(128, (v as { value: bigint }).value);
    for (let w = 0; w < 4; w++) {
      words[i * 4 + w] = Number(unscaled & 0xffffffffn);
      unscaled >>= 32n;
    }
  });
  return words;
}

/**
 * One buffer for all the column's text, written string by string: encoding each value into an array
 * of its own and copying those together took seven times as long (10 ms for 18 000 short strings).
 */
function utf8Data(base: { type: DataType; length: number; nullCount: number; nullBitmap: Uint8Array }, values: readonly DuckDBValue[]): Data {
  const texts = values.map((v) => (v === null ? '' : typeof v === 'string' ? v : String(v)));
  let bytes = 0;
  for (const text of texts) bytes += Buffer.byteLength(text, 'utf8');
  const data = Buffer.allocUnsafe(bytes);
  const valueOffsets = new Int32Array(values.length + 1);
  let at = 0;
  texts.forEach((text, i) => {
    at += data.write(text, at, 'utf8');
    valueOffsets[i + 1] = at;
  });
  return makeData({ ...base, type: base.type as Utf8, valueOffsets, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) });
}

/** Reads a Decimal128 cell back as its unscaled integer (for callers and tests). */
export function decimalCellToBigInt(words: Uint32Array): bigint {
  let result = 0n;
  for (let w = 3; w >= 0; w--) result = (result << 32n) | BigInt(words[w]!);
  return BigInt.asIntN(128, result);
}
