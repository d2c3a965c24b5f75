/**
 * Jupyter messages as the server handles them, and their ZeroMQ wire form:
 * [identities..., "<IDS|MSG>", hmac, header, parent_header, metadata, content, buffers...],
 * signed with HMAC-SHA256 over the four JSON frames (https://jupyter-client.readthedocs.io/en/stable/messaging.html).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export type Channel = 'shell' | 'control' | 'iopub' | 'stdin';
export const CHANNELS: readonly Channel[] = ['shell', 'control', 'iopub', 'stdin'];

export interface JupyterMessage {
  channel: Channel;
  header: Record<string, unknown> & { msg_id: string; msg_type: string; session?: string };
  parent_header: Record<string, unknown>;
  metadata: Record<string, unknown>;
  content: Record<string, unknown>;
  buffers: Uint8Array[];
}

const DELIMITER = '<IDS|MSG>';

export class MessageSigner {
  constructor(private readonly key: string) {}

  sign(frames: readonly (string | Uint8Array)[]): string {
    if (!this.key) return '';
    const hmac = createHmac('sha256', this.key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest('hex');
  }

  /** The multipart frames for a message sent to the kernel. */
  encode(message: JupyterMessage): Array<string | Uint8Array> {
    const parts = [
      JSON.stringify(message.header),
      JSON.stringify(message.parent_header ?? {}),
      JSON.stringify(message.metadata ?? {}),
      JSON.stringify(message.content ?? {}),
    ];
    return [DELIMITER, this.sign(parts), ...parts, ...(message.buffers ?? [])];
  }

  /** Parses frames received from the kernel; a bad signature or shape throws. */
  decode(channel: Channel, frames: readonly Buffer[]): JupyterMessage {
    const delimiterAt = frames.findIndex((frame) => frame.toString('latin1') === DELIMITER);
    if (delimiterAt < 0 || frames.length < delimiterAt + 6) throw new Error(`malformed ${channel} message from kernel: ${frames.length} frames, no complete Jupyter message`);
    const [signature, header, parent, metadata, content] = frames.slice(delimiterAt + 1, delimiterAt + 6);
    if (this.key) {
      const expected = Buffer.from(this.sign([header, parent, metadata, content]), 'utf8');
      const actual = Buffer.from(signature);
      if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) throw new Error(`bad HMAC signature on ${channel} message from kernel`);
    }
    return {
      channel,
      header: JSON.parse(header.toString('utf8')),
      parent_header: JSON.parse(parent.toString('utf8')),
      metadata: JSON.parse(metadata.toString('utf8')),
      content: JSON.parse(content.toString('utf8')),
      buffers: frames.slice(delimiterAt + 6).map((frame) => new Uint8Array(frame)),
    };
  }
}
