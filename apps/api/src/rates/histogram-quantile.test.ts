import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeVector } from '../prometheus/decode.js';
import { type Bucket, bucketQuantile, parseUpperBound } from './histogram-quantile.js';

/**
 * Bucket rates and histogram_quantile answers recorded together from the demo mesh's Prometheus (one evaluation
 * time): the API's quantiles must be the very same floats.
 */
interface Recorded {
  prometheus: string;
  cases: Array<{ buckets: string; answer: unknown; quantiles: Record<string, unknown> }>;
}
const recorded = JSON.parse(
  readFileSync(new URL('./fixtures/demo-quantiles.json', import.meta.url), 'utf8'),
) as Recorded;

const withoutLe = (labels: Record<string, string>) =>
  JSON.stringify(Object.entries(labels).filter(([k]) => k !== 'le').sort(([a], [b]) => (a < b ? -1 : 1)));

describe('bucketQuantile against Prometheus', () => {
  for (const c of recorded.cases) {
    it(`matches histogram_quantile over ${c.buckets}`, () => {
      const histograms = new Map<string, Bucket[]>();
      for (const s of decodeVector(c.answer)) {
        const key = withoutLe(s.labels);
        histograms.set(key, [...(histograms.get(key) ?? []), [parseUpperBound(s.labels.le ?? '')!, s.value]]);
      }
      let compared = 0;
      for (const [q, answer] of Object.entries(c.quantiles)) {
        const expected = decodeVector(answer);
        expect(expected.length).toBe(histograms.size);
        for (const e of expected) {
          const ours = bucketQuantile(Number(q), histograms.get(withoutLe(e.labels)) ?? []);
          expect(Object.is(ours, e.value), `${q} of ${withoutLe(e.labels)}: ${ours} vs ${e.value}`).toBe(true);
          compared++;
        }
      }
      expect(compared).toBe(histograms.size * 3);
      expect(compared).toBeGreaterThan(0);
    });
  }
});

describe('bucketQuantile edge cases', () => {
  const inf = Number.POSITIVE_INFINITY;
  it('interpolates inside the bucket that holds the rank, from 0 below the first bound', () => {
    expect(bucketQuantile(0.5, [[1, 0], [2, 10], [inf, 10]])).toBe(1.5);
    expect(bucketQuantile(0.5, [[2, 10], [inf, 10]])).toBe(1);
  });
  it('answers the highest finite bound when the rank falls in +Inf', () => {
    expect(bucketQuantile(0.99, [[1, 5], [2, 5], [inf, 10]])).toBe(2);
  });
  it('has no answer without observations, without +Inf or with a single bucket', () => {
    expect(bucketQuantile(0.5, [[1, 0], [inf, 0]])).toBeNaN();
    expect(bucketQuantile(0.5, [[1, 5], [2, 10]])).toBeNaN();
    expect(bucketQuantile(0.5, [[inf, 10]])).toBeNaN();
    expect(bucketQuantile(0.5, [])).toBeNaN();
  });
  it('sorts, merges equal bounds and forces monotonic counts', () => {
    expect(bucketQuantile(0.5, [[inf, 10], [2, 6], [1, 3], [1, 1]])).toBe(1.5);
    expect(bucketQuantile(0.5, [[1, 6], [2, 4], [inf, 10]])).toBe(5 / 6);
  });
  it('parses le like Prometheus', () => {
    expect(parseUpperBound('+Inf')).toBe(inf);
    expect(parseUpperBound('0.25')).toBe(0.25);
    expect(parseUpperBound('1e3')).toBe(1000);
    expect(parseUpperBound('fast')).toBeNull();
    expect(parseUpperBound('')).toBeNull();
  });
});
