import { deserialize, serialize } from '@jupyterlab/services/lib/kernel/serialize.js';
import { describe, expect, it } from 'vitest';
import type { JupyterMessage } from './jupyter-message.js';
import { MalformedMessageError, V1_PROTOCOL, decodeFromClient, encodeForClient } from './websocket-protocol.js';

const message: JupyterMessage = {
  channel: 'shell',
  header: { msg_id: 'm1', msg_type: 'comm_msg', session: 's', username: 'u', date: '2026-01-01T00:00:00Z', version: '5.3' },
  parent_header: {},
  metadata: {},
  content: { data: { x: 'é' } },
  buffers: [new Uint8Array([1, 2, 3]), new Uint8Array([4])],
};

describe('kernel WebSocket protocols', () => {
  it('round-trips v1 binary frames with buffers against @jupyterlab/services', () => {
    const ours = encodeForClient(message, V1_PROTOCOL) as Buffer;
    const decoded = deserialize(ours.buffer.slice(ours.byteOffset, ours.byteOffset + ours.byteLength) as ArrayBuffer, V1_PROTOCOL) as unknown as JupyterMessage;
    expect(decoded.content).toEqual(message.content);
    expect(decoded.buffers?.map((b) => [...new Uint8Array((b as unknown as DataView).buffer)])).toEqual([[1, 2, 3], [4]]);
    const theirs = Buffer.from(serialize(message as never, V1_PROTOCOL) as ArrayBuffer);
    const back = decodeFromClient(theirs, true, V1_PROTOCOL);
    expect(back.header).toEqual(message.header);
    expect(back.buffers.map((b) => [...b])).toEqual([[1, 2, 3], [4]]);
  });

  it('round-trips legacy JSON and legacy binary frames', () => {
    const text = encodeForClient({ ...message, buffers: [] }, '') as string;
    expect(decodeFromClient(Buffer.from(text), false, '').content).toEqual(message.content);
    const theirs = Buffer.from(serialize(message as never, '') as ArrayBuffer);
    expect(decodeFromClient(theirs, true, '').buffers.map((b) => [...b])).toEqual([[1, 2, 3], [4]]);
  });

  it('refuses malformed frames with a reason', () => {
    const bad: Array<[Buffer, boolean, '' | typeof V1_PROTOCOL, RegExp]> = [
      [Buffer.from([1]), true, V1_PROTOCOL, /too short/],
      [Buffer.alloc(16, 0xff), true, V1_PROTOCOL, /impossible offset count/],
      [Buffer.from('{oops'), false, '', /not valid JSON/],
      [Buffer.from(JSON.stringify({ channel: 'iopub', header: { msg_id: 'a', msg_type: 'b' }, content: {} })), false, '', /not one a client can send on/],
      [Buffer.from(JSON.stringify({ channel: 'shell', header: { msg_id: 1 }, content: {} })), false, '', /header must be an object/],
      [Buffer.from(JSON.stringify({ channel: 'shell', header: { msg_id: 'a', msg_type: 'b' }, content: [] })), false, '', /content must be an object/],
    ];
    for (const [data, binary, protocol, reason] of bad) {
      expect(() => decodeFromClient(data, binary, protocol)).toThrow(MalformedMessageError);
      expect(() => decodeFromClient(data, binary, protocol)).toThrow(reason);
    }
  });
});
