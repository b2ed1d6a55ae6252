import { describe, expect, it } from 'vitest';
import { eq } from './label-matchers.js';
import { aggregateGauge, groupLabels, sumRate } from './rate-sum.js';

describe('sumRate', () => {
  it('one term without sets, one per set joined with or', () => {
    const q = { metric: 'm', by: ['a', 'b'], base: [eq('d', 'x')], window: '1m' };
    expect(sumRate({ ...q, anyOf: [] }).promql).toBe('sum by (a, b) (rate(m{d="x"}[1m]))');
    expect(sumRate({ ...q, anyOf: [[eq('a', '1')], [eq('b', '2')]] }).promql).toBe(
      'sum by (a, b) (rate(m{a="1", d="x"}[1m])) or sum by (a, b) (rate(m{b="2", d="x"}[1m]))',
    );
  });
  it('says which labels its answer is grouped by, for decoding', () => {
    const q = sumRate({ metric: 'm', by: ['le', 'a'], base: [], anyOf: [], window: '5m' });
    expect(q.by).toEqual(['le', 'a']);
    expect(groupLabels(q, 'le')).toEqual(['a']);
    expect(aggregateGauge('count', { metric: 'info', by: ['a'], base: [], anyOf: [[eq('a', '1')], []] })).toEqual({
      promql: 'count by (a) (info{a="1"}) or count by (a) (info{})',
      by: ['a'],
    });
  });
  it('refuses a set on a label the sum drops', () => {
    expect(() => sumRate({ metric: 'm', by: ['a'], base: [], anyOf: [[eq('c', '1')]], window: '1m' })).toThrow(
      /"c" must be on a label kept/,
    );
  });
});
