/**
 * The two encodings of Jupyter messages on `/api/kernels/{id}/channels`:
 * - `v1.kernel.websocket.jupyter.org`: binary frames, a little-endian uint64 offset table followed by
 *   channel, header, parent_header, metadata, content and buffers;
 * - legacy (no subprotocol): a JSON text frame with a `channel` key, or, when the message carries
 *   buffers, a binary frame of uint32 big-endian count and offsets, JSON, then the buffers.
 */
import { CHANNELS, type Channel, type JupyterMessage } from './jupyter-message.js';

export const V1_PROTOCOL = 'v1.kernel.websocket.jupyter.org';
export type WireProtocol = typeof V1_PROTOCOL | '';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export class MalformedMessageError extends Error {
  override name = 'MalformedMessageError';
}

export function encodeForClient(message: JupyterMessage, protocol: WireProtocol): Buffer | string {
  return protocol === V1_PROTOCOL ? encodeV1(message) : encodeLegacy(message);
}

export function decodeFromClient(data: Buffer, isBinary: boolean, protocol: WireProtocol): JupyterMessage {
  const message = protocol === V1_PROTOCOL ? decodeV1(data) : isBinary ? decodeLegacyBinary(data) : decodeLegacyJson(data.toString('utf8'), []);
  return checkShape(message);
}

function encodeV1(message: JupyterMessage): Buffer {
  const parts = [
    encoder.encode(message.channel),
    encoder.encode(JSON.stringify(message.header)),
    encoder.encode(JSON.stringify(message.parent_header ?? {})),
    encoder.encode(JSON.stringify(message.metadata ?? {})),
    encoder.encode(JSON.stringify(message.content ?? {})),
    ...message.buffers,
  ];
  const offsetCount = parts.length + 1;
  const table = Buffer.alloc(8 * (1 + offsetCount));
  table.writeBigUInt64LE(BigInt(offsetCount), 0);
  let position = table.length;
  for (let i = 0; i < parts.length; i++) {
    table.writeBigUInt64LE(BigInt(position), 8 * (i + 1));
    position += parts[i].byteLength;
  }
  table.writeBigUInt64LE(BigInt(position), 8 * offsetCount);
  return Buffer.concat([table, ...parts]);
}

function decodeV1(data: Buffer): JupyterMessage {
  if (data.length < 8) throw new MalformedMessageError(`v1 frame of ${data.length} bytes is too short for an offset table`);
  const count = Number(data.readBigUInt64LE(0));
  if (count < 6 || count > 10_000 || 8 * (count + 1) > data.length) throw new MalformedMessageError(`v1 frame has an impossible offset count ${count}`);
  const offsets: number[] = [];
  for (let i = 1; i <= count; i++) offsets.push(Number(data.readBigUInt64LE(8 * i)));
  for (let i = 0; i < offsets.length; i++) {
    const low = i === 0 ? 8 * (count + 1) : offsets[i - 1];
    if (offsets[i] < low || offsets[i] > data.length) throw new MalformedMessageError(`v1 frame offset ${i} (${offsets[i]}) is out of order or out of bounds`);
  }
  const slice = (i: number) => data.subarray(offsets[i], offsets[i + 1]);
  const text = (i: number) => decodeText(slice(i));
  return {
    channel: text(0) as Channel,
    header: parseJson(text(1), 'header') as JupyterMessage['header'],
    parent_header: parseJson(text(2), 'parent_header') as Record<string, unknown>,
    metadata: parseJson(text(3), 'metadata') as Record<string, unknown>,
    content: parseJson(text(4), 'content') as Record<string, unknown>,
    buffers: offsets.slice(5, -1).map((_, i) => new Uint8Array(slice(i + 5))),
  };
}

function encodeLegacy(message: JupyterMessage): Buffer | string {
  const { buffers, ...rest } = message;
  const json = JSON.stringify(rest);
  if (buffers.length === 0) return json;
  const parts = [encoder.encode(json), ...buffers];
  const table = Buffer.alloc(4 * (parts.length + 1));
  table.writeUInt32BE(parts.length, 0);
  let position = table.length;
  parts.forEach((part, i) => {
    table.writeUInt32BE(position, 4 * (i + 1));
    position += part.byteLength;
  });
  return Buffer.concat([table, ...parts]);
}

function decodeLegacyBinary(data: Buffer): JupyterMessage {
  if (data.length < 4) throw new MalformedMessageError('binary frame too short');
  const count = data.readUInt32BE(0);
  if (count < 1 || 4 * (count + 1) > data.length) throw new MalformedMessageError(`binary frame has an impossible part count ${count}`);
  const offsets = Array.from({ length: count }, (_, i) => data.readUInt32BE(4 * (i + 1)));
  offsets.push(data.length);
  for (let i = 0; i < count; i++) {
    if (offsets[i] > offsets[i + 1] || offsets[i] < 4 * (count + 1)) throw new MalformedMessageError(`binary frame offset ${i} is out of bounds`);
  }
  const buffers = offsets.slice(1, -1).map((start, i) => new Uint8Array(data.subarray(start, offsets[i + 2])));
  return decodeLegacyJson(decodeText(data.subarray(offsets[0], offsets[1])), buffers);
}

function decodeLegacyJson(text: string, buffers: Uint8Array[]): JupyterMessage {
  const parsed = parseJson(text, 'message') as Partial<JupyterMessage>;
  return { ...(parsed as JupyterMessage), buffers };
}

function decodeText(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new MalformedMessageError('frame is not valid UTF-8');
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new MalformedMessageError(`${what} is not valid JSON: ${(error as Error).message}`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The client may only send to shell, control and stdin, and a message needs a header naming its id and type. */
function checkShape(message: JupyterMessage): JupyterMessage {
  if (!isObject(message)) throw new MalformedMessageError('message is not an object');
  if (!CHANNELS.includes(message.channel) || message.channel === 'iopub') {
    throw new MalformedMessageError(`channel ${JSON.stringify(message.channel)} is not one a client can send on`);
  }
  if (!isObject(message.header) || typeof message.header.msg_id !== 'string' || typeof message.header.msg_type !== 'string') {
    throw new MalformedMessageError('header must be an object with string msg_id and msg_type');
  }
  if (message.parent_header != null && !isObject(message.parent_header)) throw new MalformedMessageError('parent_header must be an object');
  if (message.metadata != null && !isObject(message.metadata)) throw new MalformedMessageError('metadata must be an object');
  if (!isObject(message.content)) throw new MalformedMessageError('content must be an object');
  return { ...message, parent_header: message.parent_header ?? {}, metadata: message.metadata ?? {}, buffers: message.buffers ?? [] };
}
