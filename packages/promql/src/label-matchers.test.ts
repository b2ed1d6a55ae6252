import { describe, expect, it } from 'vitest';
import { eq, escapeLabelValue, oneOf, selector } from './label-matchers.js';

describe('selector', () => {
  it('sorts matchers by label', () => {
    expect(selector('m', [eq('b', '2'), eq('a', '1')])).toBe('m{a="1", b="2"}');
  });
  it('escapes values so input cannot close the string or add matchers', () => {
    const evil = 'x"} or vector(1) or m{a="';
    expect(selector('m', [eq('a', evil)])).toBe('m{a="x\\"} or vector(1) or m{a=\\""}');
    expect(escapeLabelValue('a\\b\nc')).toBe('a\\\\b\\nc');
  });
  it('escapes regex metacharacters in oneOf', () => {
    expect(selector('m', [oneOf('ns', ['a.b', 'c|d'])])).toBe('m{ns=~"a\\\\.b|c\\\\|d"}');
  });
  it('refuses label names that are not identifiers', () => {
    expect(() => selector('m', [eq('a"b', 'x')])).toThrow(/invalid label name/);
  });
});
