import { describe, expect, it } from 'vitest';
import { serviceEdgeLatencyBuckets, serviceEdgeResponseRates, serviceEdges } from './service-edges.js';

const E = 'namespace, deployment, dst_namespace, dst_service, dst_deployment';

describe('service queries', () => {
  it('response rates of every edge addressed to the service, by caller and backend', () => {
    expect(serviceEdgeResponseRates({ namespace: 'bookshop', service: 'catalog', window: '1m' }).promql).toBe(
      `sum by (${E}, classification, tls, no_tls_reason) (rate(response_total{direction="outbound", dst_namespace="bookshop", dst_service="catalog"}[1m]))`,
    );
  });
  it('latency buckets of the same edges', () => {
    expect(serviceEdgeLatencyBuckets({ namespace: 'billing', service: 'payments', window: '5m' }).promql).toBe(
      `sum by (le, ${E}) (rate(response_latency_ms_bucket{direction="outbound", dst_namespace="billing", dst_service="payments"}[5m]))`,
    );
  });
  it('escapes names so no input changes the query', () => {
    expect(serviceEdgeResponseRates({ namespace: 'a"b', service: 'c\\d', window: '1m' }).promql).toContain(
      'dst_namespace="a\\"b", dst_service="c\\\\d"',
    );
    expect(serviceEdges({ namespace: 'x', service: 'y' })).toEqual([
      [
        { label: 'dst_namespace', op: '=', value: 'x' },
        { label: 'dst_service', op: '=', value: 'y' },
      ],
    ]);
  });
});
