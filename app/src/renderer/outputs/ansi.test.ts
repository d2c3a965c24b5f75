import { describe, expect, it } from 'vitest';
import { GrowingAnsiStripper, stripAnsi } from './ansi.js';

describe('stripAnsi', () => {
  it('removes colour and cursor sequences and keeps the text', () => {
    expect(stripAnsi('\u001b[31mError\u001b[0m: \u001b[1;32mok\u001b[K')).toBe('Error: ok');
  });
});

describe('GrowingAnsiStripper', () => {
  it('gives the same text as stripping the whole stream, however it is cut into appends', () => {
    const stream = 'line 1\n\u001b[31mred line\u001b[0m\n\u001b[1;33mbold yellow\u001b[0m tail\n';
    for (let cut = 1; cut < stream.length; cut++) {
      const stripper = new GrowingAnsiStripper();
      let shown = '';
      for (let end = cut; end < stream.length + cut; end += cut) shown = stripper.strip(stream.slice(0, Math.min(end, stream.length)));
      expect(shown, `appends of ${cut} characters`).toBe(stripAnsi(stream));
    }
  });

  it('holds back an escape sequence cut off at the end until the rest arrives', () => {
    const stripper = new GrowingAnsiStripper();
    expect(stripper.strip('done \u001b[3')).toBe('done ');
    expect(stripper.strip('done \u001b[32mgreen')).toBe('done green');
  });

  it('starts over when given a text shorter than the one it has taken', () => {
    const stripper = new GrowingAnsiStripper();
    stripper.strip('a long first stream\n');
    expect(stripper.strip('\u001b[1mnew\u001b[0m')).toBe('new');
  });
});
