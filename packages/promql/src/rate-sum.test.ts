import { describe, expect, it } from 'vitest';
import { eq } from './label-matchers.js';
import { sumRate } from './rate-sum.js';

describe('sumRate', () => {
  it('one term without sets, one per set joined with or', () => {
    const q = { metric: 'm', by: ['a', 'b'], base: [eq('d', 'x')], window: '1m' };
    expect(sumRate({ ...q, anyOf: [] })).toBe('sum by (a, b) (rate(m{d="x"}[1m]))');
    expect(sumRate({ ...q, anyOf: [[eq('a', '1')], [eq('b', '2')]] })).toBe(
      'sum by (a, b) (rate(m{a="1", d="x"}[1m])) or sum by (a, b) (rate(m{b="2", d="x"}[1m]))',
    );
  });
  it('refuses a set on a label the sum drops', () => {
    expect(() => sumRate({ metric: 'm', by: ['a'], base: [], anyOf: [[eq('c', '1')]], window: '1m' })).toThrow(
      /"c" must be on a label kept/,
    );
  });
});
