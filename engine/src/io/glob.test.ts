import { describe, expect, it } from 'vitest';
import { globBase, globToRegExp } from './glob.js';

describe('glob', () => {
  it('matches within one directory level, across levels with **, and alternatives', () => {
    expect(globToRegExp('/d/*.parquet').test('/d/a.parquet')).toBe(true);
    expect(globToRegExp('/d/*.parquet').test('/d/x/a.parquet')).toBe(false);
    expect(globToRegExp('/d/**/*.parquet').test('/d/a.parquet')).toBe(true);
    expect(globToRegExp('/d/**/*.parquet').test('/d/x/y/a.parquet')).toBe(true);
    expect(globToRegExp('/d/{a,b}[0-9].csv').test('/d/b7.csv')).toBe(true);
    expect(globToRegExp('/d/{a,b}[0-9].csv').test('/d/c7.csv')).toBe(false);
    expect(globToRegExp('/d/a+b(1).csv').test('/d/a+b(1).csv')).toBe(true);
  });

  it('finds the directory to list from', () => {
    expect(globBase('/data/year=*/x.parquet')).toBe('/data/');
    expect(globBase('bucket/key/part-*.csv')).toBe('bucket/key/');
    expect(() => globToRegExp('/d/{a,b')).toThrow("unclosed '{'");
  });
});
