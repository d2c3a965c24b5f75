import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { isRedactableText, redactingStream } from './token-redaction.js';

describe('redactingStream', () => {
  it('redacts a secret split across chunks, and every occurrence of it', async () => {
    const chunks = ['{"url":"http://127.0.0.1:1/?token=ab', 'cdef","again":"abcdef"}\ndata: abc', 'def\n', 'tail abcdef'];
    const out = await text(Readable.from(chunks.map((c) => Buffer.from(c))).pipe(redactingStream('abcdef')));
    expect(out).toBe('{"url":"http://127.0.0.1:1/?token=***","again":"***"}\ndata: ***\ntail ***');
  });

  it('keeps a character whose bytes are split across chunks', async () => {
    const bytes = Buffer.from('{"name":"Zoë ✓"}');
    const out = await text(Readable.from([bytes.subarray(0, 12), bytes.subarray(12, 15), bytes.subarray(15)]).pipe(redactingStream('secret')));
    expect(out).toBe('{"name":"Zoë ✓"}');
  });

  it('passes each complete line on as soon as it arrives', async () => {
    const stream = redactingStream('secret');
    const seen: string[] = [];
    stream.on('data', (chunk: Buffer) => seen.push(chunk.toString()));
    stream.write(': connected\n\nevent: wor');
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual([': connected\n\n']);
    stream.end('kers\n');
    await new Promise((resolve) => stream.on('end', resolve));
    expect(seen.join('')).toBe(': connected\n\nevent: workers\n');
  });

  it('only text content is redacted', () => {
    expect(isRedactableText('application/json; charset=utf-8')).toBe(true);
    expect(isRedactableText('text/event-stream')).toBe(true);
    expect(isRedactableText('application/vnd.apache.arrow.stream')).toBe(false);
  });
});
