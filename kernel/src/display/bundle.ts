/** What the kernel shows for a value: a MIME bundle plus its metadata. */
import { inspect } from 'node:util';
import type { JSONObject, MimeBundle } from '../protocol/messages.js';
import { isDataFrame, renderDataFrame, type DataFrameDisplayOptions } from './dataframe.js';

export interface DisplayBundle {
  data: MimeBundle;
  metadata: JSONObject;
}

/** An object may say how it displays by implementing this method (sync or async). */
export const TO_MIME_BUNDLE = Symbol.for('quire.toMimeBundle');

interface SelfDisplaying {
  [TO_MIME_BUNDLE](): DisplayBundle | Promise<DisplayBundle>;
}

function isSelfDisplaying(value: unknown): value is SelfDisplaying {
  return typeof value === 'object' && value !== null && typeof (value as Partial<SelfDisplaying>)[TO_MIME_BUNDLE] === 'function';
}

/** `text/plain` exactly as Node's REPL prints the value. */
export function plainText(value: unknown): string {
  return inspect(value, { showProxy: true });
}

export async function renderValue(value: unknown, options: DataFrameDisplayOptions): Promise<DisplayBundle> {
  if (isSelfDisplaying(value)) return value[TO_MIME_BUNDLE]();
  if (isDataFrame(value)) return renderDataFrame(value, options);
  return { data: { 'text/plain': plainText(value) }, metadata: {} };
}
