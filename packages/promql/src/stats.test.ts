import { describe, expect, it } from 'vitest';
import { eq, oneOf } from './label-matchers.js';
import { statsLatencyBuckets, statsMeshedPods, statsResponseRates } from './stats.js';

const one = { groupBy: 'deployment', namespace: 'bookshop', window: '1m' } as const;
const all = { groupBy: 'deployment', namespace: null, window: '5m' } as const;

describe('stats queries', () => {
  it('response rates by classification', () => {
    expect(statsResponseRates(one).promql).toBe(
      'sum by (namespace, deployment, classification) (rate(response_total{direction="inbound", namespace="bookshop"}[1m]))',
    );
    expect(statsResponseRates(all).promql).toBe(
      'sum by (namespace, deployment, classification) (rate(response_total{direction="inbound"}[5m]))',
    );
  });
  it('latency buckets, aggregated to le and the grouping labels', () => {
    expect(statsLatencyBuckets(one).promql).toBe(
      'sum by (le, namespace, deployment) (rate(response_latency_ms_bucket{direction="inbound", namespace="bookshop"}[1m]))',
    );
  });
  it('meshed pods', () => {
    expect(statsMeshedPods(one).promql).toBe('count by (namespace, deployment) (proxy_build_info{namespace="bookshop"})');
    expect(statsMeshedPods(all).promql).toBe('count by (namespace, deployment) (proxy_build_info{})');
  });
  it('one named resource', () => {
    expect(statsResponseRates({ ...one, name: 'web' }).promql).toBe(
      'sum by (namespace, deployment, classification) (rate(response_total{deployment="web", direction="inbound", namespace="bookshop"}[1m]))',
    );
    expect(statsMeshedPods({ ...one, name: 'web' }).promql).toBe(
      'count by (namespace, deployment) (proxy_build_info{deployment="web", namespace="bookshop"})',
    );
  });
  it('pods of one deployment', () => {
    expect(statsLatencyBuckets({ groupBy: 'pod', namespace: 'bookshop', deployment: 'web', window: '1m' }).promql).toBe(
      'sum by (le, namespace, pod) (rate(response_latency_ms_bucket{deployment="web", direction="inbound", namespace="bookshop"}[1m]))',
    );
  });
  it('namespace grouping', () => {
    expect(statsResponseRates({ groupBy: 'namespace', namespace: null, window: '1m' }).promql).toBe(
      'sum by (namespace, classification) (rate(response_total{direction="inbound"}[1m]))',
    );
  });
  it('any of several sets of workloads, joined with or', () => {
    const anyOf = [[oneOf('namespace', ['shop', 'ops']), oneOf('deployment', ['web', 'cron'])], [eq('namespace', 'billing')]];
    expect(statsResponseRates({ ...all, window: '1m', anyOf }).promql).toBe(
      'sum by (namespace, deployment, classification) (rate(response_total{deployment=~"web|cron", direction="inbound", namespace=~"shop|ops"}[1m])) or ' +
        'sum by (namespace, deployment, classification) (rate(response_total{direction="inbound", namespace="billing"}[1m]))',
    );
    expect(statsMeshedPods({ ...all, anyOf }).promql).toBe(
      'count by (namespace, deployment) (proxy_build_info{deployment=~"web|cron", namespace=~"shop|ops"}) or ' +
        'count by (namespace, deployment) (proxy_build_info{namespace="billing"})',
    );
  });
  it('refuses a set that would cut groups apart', () => {
    expect(() => statsResponseRates({ ...all, anyOf: [[eq('pod', 'web-0')]] })).toThrow(/pod/);
    expect(() => statsMeshedPods({ ...all, anyOf: [[eq('pod', 'web-0')]] })).toThrow(/pod/);
  });
});
