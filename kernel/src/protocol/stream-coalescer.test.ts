import { describe, expect, it } from 'vitest';
import { StreamCoalescer } from './stream-coalescer.js';

describe('StreamCoalescer', () => {
  it('joins many writes into one message and keeps stdout and stderr in order', () => {
    const sent: [string, string][] = [];
    const streams = new StreamCoalescer((name, text) => sent.push([name, text]), { maxDelayMs: 10_000 });
    for (let i = 0; i < 1000; i++) streams.write('stdout', `${i}\n`);
    streams.write('stderr', 'oops\n');
    streams.write('stdout', 'after\n');
    streams.flush();
    expect(sent.map(([name]) => name)).toEqual(['stdout', 'stderr', 'stdout']);
    expect(sent[0]![1].split('\n')).toHaveLength(1001);
    expect(sent[2]![1]).toBe('after\n');
  });

  it('flushes by size while a synchronous loop keeps the timer from firing', () => {
    const sent: string[] = [];
    const streams = new StreamCoalescer((_name, text) => sent.push(text), { maxDelayMs: 10_000, maxBytes: 100 });
    for (let i = 0; i < 50; i++) streams.write('stdout', 'x'.repeat(10));
    expect(sent.length).toBe(5);
    expect(sent.join('')).toHaveLength(500);
  });

  it('sends held text after the delay', async () => {
    const sent: string[] = [];
    const streams = new StreamCoalescer((_name, text) => sent.push(text), { maxDelayMs: 5 });
    streams.write('stdout', 'a');
    streams.write('stdout', 'b');
    expect(sent).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(sent).toEqual(['ab']);
  });
});
