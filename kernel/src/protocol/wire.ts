/**
 * The wire format: [identities..., '<IDS|MSG>', signature, header, parent_header, metadata, content, buffers...],
 * signed with HMAC-SHA256 over the four JSON frames.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { PROTOCOL_VERSION, type Header, type Message, type MessageContents, type MessageType } from './messages.js';

const DELIMITER = Buffer.from('<IDS|MSG>');

export class WireError extends Error {}

export class Signer {
  constructor(private readonly key: string) {}

  sign(frames: Buffer[]): string {
    // An empty key means signing is disabled by the client (allowed by the spec).
    if (!this.key) return '';
    const hmac = createHmac('sha256', this.key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest('hex');
  }

  verify(signature: string, frames: Buffer[]): boolean {
    if (!this.key) return true;
    const expected = Buffer.from(this.sign(frames));
    const actual = Buffer.from(signature);
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
}

export function decode(frames: Buffer[], signer: Signer): Message {
  const delimiterAt = frames.findIndex((frame) => frame.equals(DELIMITER));
  if (delimiterAt < 0) throw new WireError('no <IDS|MSG> delimiter');
  if (frames.length < delimiterAt + 6) throw new WireError(`expected 5 frames after the delimiter, got ${frames.length - delimiterAt - 1}`);
  const signature = frames[delimiterAt + 1]!.toString('ascii');
  const signed = frames.slice(delimiterAt + 2, delimiterAt + 6);
  if (!signer.verify(signature, signed)) throw new WireError('bad HMAC signature');
  const [header, parent, metadata, content] = signed.map((frame, index) => {
    try {
      return JSON.parse(frame.toString('utf8')) as unknown;
    } catch {
      throw new WireError(`frame ${['header', 'parent_header', 'metadata', 'content'][index]} is not JSON`);
    }
  });
  if (typeof header !== 'object' || header === null || typeof (header as Header).msg_type !== 'string') {
    throw new WireError('header has no msg_type');
  }
  return {
    identities: frames.slice(0, delimiterAt),
    header: header as Header,
    parent_header: (parent ?? {}) as Header,
    metadata: (metadata ?? {}) as Message['metadata'],
    content: content ?? {},
    buffers: frames.slice(delimiterAt + 6),
  };
}

export function encode(message: Message, signer: Signer): Buffer[] {
  const signed = [message.header, message.parent_header, message.metadata, message.content].map((part) =>
    Buffer.from(JSON.stringify(part)),
  );
  return [...message.identities, DELIMITER, Buffer.from(signer.sign(signed)), ...signed, ...message.buffers];
}

export function createHeader<T extends string>(msgType: T, session: string, username = 'quire'): Header<T> {
  return { msg_id: randomUUID(), msg_type: msgType, session, username, date: new Date().toISOString(), version: PROTOCOL_VERSION };
}

/** A message sent in response to `parent` (a reply, or an iopub message it caused). */
export function createMessage<T extends MessageType>(
  msgType: T,
  content: MessageContents[T],
  parent: Message | undefined,
  session: string,
  identities: Buffer[] = [],
): Message<T, MessageContents[T]> {
  return {
    identities,
    header: createHeader(msgType, session),
    parent_header: parent?.header ?? {},
    metadata: {},
    content,
    buffers: [],
  };
}
