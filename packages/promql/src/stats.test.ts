import { describe, expect, it } from 'vitest';
import { statsLatencyQuantile, statsMeshedPods, statsRps, statsSuccessRps } from './stats.js';

const one = { groupBy: 'deployment', namespace: 'bookshop', window: '1m' } as const;
const all = { groupBy: 'deployment', namespace: null, window: '5m' } as const;

describe('stats queries', () => {
  it('rps', () => {
    expect(statsRps(one)).toBe(
      'sum by (namespace, deployment) (rate(response_total{direction="inbound", namespace="bookshop"}[1m]))',
    );
    expect(statsRps(all)).toBe('sum by (namespace, deployment) (rate(response_total{direction="inbound"}[5m]))');
  });
  it('success rps', () => {
    expect(statsSuccessRps(one)).toBe(
      'sum by (namespace, deployment) (rate(response_total{classification="success", direction="inbound", namespace="bookshop"}[1m]))',
    );
  });
  it('latency quantile', () => {
    expect(statsLatencyQuantile(one, 0.95)).toBe(
      'histogram_quantile(0.95, sum by (le, namespace, deployment) (rate(response_latency_ms_bucket{direction="inbound", namespace="bookshop"}[1m])))',
    );
    expect(() => statsLatencyQuantile(one, 1)).toThrow(/quantile/);
  });
  it('meshed pods', () => {
    expect(statsMeshedPods(one)).toBe('count by (namespace, deployment) (proxy_build_info{namespace="bookshop"})');
    expect(statsMeshedPods(all)).toBe('count by (namespace, deployment) (proxy_build_info{})');
  });
  it('one named resource', () => {
    expect(statsRps({ ...one, name: 'web' })).toBe(
      'sum by (namespace, deployment) (rate(response_total{deployment="web", direction="inbound", namespace="bookshop"}[1m]))',
    );
    expect(statsMeshedPods({ ...one, name: 'web' })).toBe(
      'count by (namespace, deployment) (proxy_build_info{deployment="web", namespace="bookshop"})',
    );
  });
  it('pods of one deployment', () => {
    expect(statsRps({ groupBy: 'pod', namespace: 'bookshop', deployment: 'web', window: '1m' })).toBe(
      'sum by (namespace, pod) (rate(response_total{deployment="web", direction="inbound", namespace="bookshop"}[1m]))',
    );
  });
  it('namespace grouping', () => {
    expect(statsRps({ groupBy: 'namespace', namespace: null, window: '1m' })).toBe(
      'sum by (namespace) (rate(response_total{direction="inbound"}[1m]))',
    );
  });
});
