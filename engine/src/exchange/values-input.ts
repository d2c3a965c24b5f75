/**
 * Loads a `values` input (rows the user gave, as base64 Arrow IPC) into a temporary DuckDB table.
 * Each cell is written as SQL text and cast to the planned DuckDB type; these inputs are small
 * (createDataFrame), so clarity beats speed here.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { DataType, Vector, tableFromIPC, type Data, type Field as ArrowField } from 'apache-arrow';
import type { TaskInput } from '../physical/types.js';
import { decimalCellToBigInt } from './arrow-columns.js';
import { quoteIdent, quoteString } from '../plan/sql-quote.js';

type ValuesInput = Extract<TaskInput, { kind: 'values' }>;

const ROWS_PER_INSERT = 500;

export async function loadValuesInput(connection: DuckDBConnection, input: ValuesInput): Promise<void> {
  const table = tableFromIPC(Buffer.from(input.arrowIpcBase64, 'base64'));
  const fields = input.schema.fields;
  const arrowNames = table.schema.fields.map((f) => f.name);
  if (arrowNames.length !== fields.length || fields.some((f, i) => f.name !== arrowNames[i])) {
    throw new Error(`values input '${input.name}': Arrow columns [${arrowNames.join(', ')}] do not match the schema [${fields.map((f) => f.name).join(', ')}]`);
  }
  for (const field of table.schema.fields) {
    const type = field.type;
    if (DataType.isList(type) || DataType.isStruct(type) || DataType.isMap(type) || DataType.isFixedSizeList(type) || DataType.isUnion(type) || DataType.isBinary(type)) {
      throw new Error(`values input '${input.name}': column '${field.name}' has Arrow type ${type}, which cannot be loaded yet (only scalar types)`);
    }
  }
  const columns = fields.map((f) => `${quoteIdent(f.name)} ${f.type}`).join(', ');
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(input.name)} (${columns})`);
  let pending: string[] = [];
  const flush = async () => {
    if (pending.length) await connection.run(`INSERT INTO ${quoteIdent(input.name)} VALUES ${pending.join(', ')}`);
    pending = [];
  };
  for (const batch of table.batches) {
    const cells = fields.map((_, c) => batch.getChildAt(c)!.data[0]!);
    for (let row = 0; row < batch.numRows; row++) {
      const literals = cells.map((data, c) => cellLiteral(data, table.schema.fields[c]!, row, fields[c]!.type));
      pending.push(`(${literals.join(', ')})`);
      if (pending.length >= ROWS_PER_INSERT) await flush();
    }
  }
  await flush();
}

function cellLiteral(data: Data, field: ArrowField, row: number, duckType: string): string {
  if (!data.getValid(row)) return 'NULL';
  return `CAST(${quoteString(cellText(data, field, row))} AS ${duckType})`;
}

/** Reads the raw buffers for temporal and decimal types so no precision is lost on the way. */
function cellText(data: Data, field: ArrowField, row: number): string {
  const type = field.type;
  const i = data.offset + row;
  if (DataType.isDecimal(type)) {
    const words = (data.values as Uint32Array).subarray(i * 4, i * 4 + 4);
    return scaledText(decimalCellToBigInt(words), type.scale);
  }
  if (DataType.isDate(type)) {
    const ms = type.unit === 0 ? Number((data.values as Int32Array)[i]) * 86_400_000 : Number((data.values as BigInt64Array)[i]);
    return new Date(ms).toISOString().slice(0, 10);
  }
  if (DataType.isTimestamp(type)) {
    const perSecond = [1n, 1000n, 1_000_000n, 1_000_000_000n][type.unit]!;
    const raw = BigInt((data.values as BigInt64Array)[i]!);
    return timestampText(raw, perSecond);
  }
  // apache-arrow's own getter for everything without a subtle representation.
  const value: unknown = new Vector([data]).get(row);
  return typeof value === 'string' ? value : String(value);
}

function scaledText(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n;
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0');
  const text = scale > 0 ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
  return negative ? `-${text}` : text;
}

function timestampText(raw: bigint, perSecond: bigint): string {
  let seconds = raw / perSecond;
  let fraction = raw % perSecond;
  if (fraction < 0n) { fraction += perSecond; seconds -= 1n; }
  const whole = new Date(Number(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ');
  const digits = perSecond.toString().length - 1;
  return digits ? `${whole}.${fraction.toString().padStart(digits, '0')}` : whole;
}
