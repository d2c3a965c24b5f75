/**
 * Removes a secret from text relayed to clients. The cluster master reports its own URL, `?token=` included;
 * the server's clients must never learn that token. Text is redacted line by line, so a token split across
 * two chunks of a stream is still found, and an event stream still goes out as each of its lines arrives.
 */
import { Transform } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

export const REDACTED = '***';

export function redactingStream(secret: string): Transform {
  let pending = '';
  // A character split across chunks is decoded once both halves have arrived.
  const decoder = new StringDecoder('utf8');
  const redact = (text: string): string => (secret ? text.split(secret).join(REDACTED) : text);
  return new Transform({
    decodeStrings: true,
    transform(chunk: Buffer, _encoding, done) {
      pending += decoder.write(chunk);
      const lastNewline = pending.lastIndexOf('\n');
      if (lastNewline < 0) return done();
      const complete = pending.slice(0, lastNewline + 1);
      pending = pending.slice(lastNewline + 1);
      done(null, redact(complete));
    },
    flush(done) {
      pending += decoder.end();
      done(null, pending ? redact(pending) : undefined);
    },
  });
}

/** Whether a response of this content type is text that may carry the secret (JSON, event streams). */
export function isRedactableText(contentType: string | undefined): boolean {
  return contentType === undefined || /^(application\/(?:[\w.+-]*\+)?json|text\/)/i.test(contentType);
}
