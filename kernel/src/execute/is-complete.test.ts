import { describe, expect, it } from 'vitest';
import { isComplete } from './is-complete.js';

describe('isComplete', () => {
  it.each([
    ['1 + 1', 'complete'],
    ['const f = () => {\n  return 1;\n}', 'complete'],
    ['function f() {', 'incomplete'],
    ['foo(1,', 'incomplete'],
    ['const s = `abc ${1}', 'incomplete'],
    ["const s = 'abc", 'incomplete'],
    ['/* comment', 'incomplete'],
    ['1 )', 'invalid'],
    ['%%sql', 'incomplete'],
    ['%%sql\nSELECT 1', 'complete'],
  ])('%j is %s', (code, status) => {
    expect(isComplete(code).status).toBe(status);
  });

  it('indents by the open brackets', () => {
    expect(isComplete('if (x) {\n  foo({')).toEqual({ status: 'incomplete', indent: '      ' });
  });
});
