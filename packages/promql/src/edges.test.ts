import { describe, expect, it } from 'vitest';
import { edgeLatencyBuckets, edgeResponseRates, edgesTouching, serviceRetryRates } from './edges.js';
import { eq, oneOf } from './label-matchers.js';

const E = 'namespace, deployment, dst_namespace, dst_service, dst_deployment';

describe('edge queries', () => {
  it('response rates of every edge, by classification and tls', () => {
    expect(edgeResponseRates({ window: '1m', anyOf: [] }).promql).toBe(
      `sum by (${E}, classification, tls, no_tls_reason) (rate(response_total{direction="outbound"}[1m]))`,
    );
  });
  it('latency buckets of every edge', () => {
    expect(edgeLatencyBuckets({ window: '5m', anyOf: [] }).promql).toBe(
      `sum by (le, ${E}) (rate(response_latency_ms_bucket{direction="outbound"}[5m]))`,
    );
  });
  it('one namespace: edges with the client in it, or the service in it and the client elsewhere', () => {
    expect(edgeResponseRates({ window: '1m', anyOf: edgesTouching('bookshop') }).promql).toBe(
      `sum by (${E}, classification, tls, no_tls_reason) (rate(response_total{direction="outbound", namespace="bookshop"}[1m])) or ` +
        `sum by (${E}, classification, tls, no_tls_reason) (rate(response_total{direction="outbound", dst_namespace="bookshop", namespace!="bookshop"}[1m]))`,
    );
  });
  it('services by name', () => {
    const anyOf = [[oneOf('dst_namespace', ['shop']), oneOf('dst_service', ['web', 'api'])], [eq('deployment', 'web')]];
    expect(edgeLatencyBuckets({ window: '1m', anyOf }).promql).toBe(
      `sum by (le, ${E}) (rate(response_latency_ms_bucket{direction="outbound", dst_namespace=~"shop", dst_service=~"web|api"}[1m])) or ` +
        `sum by (le, ${E}) (rate(response_latency_ms_bucket{deployment="web", direction="outbound"}[1m]))`,
    );
  });
  it('retries per service: attempts minus requests, on the callers\' side', () => {
    expect(serviceRetryRates({ window: '1m', namespace: null }).promql).toBe(
      'sum by (dst) (rate(route_actual_response_total{direction="outbound"}[1m])) - ' +
        'sum by (dst) (rate(route_response_total{direction="outbound"}[1m]))',
    );
    const D = 'dst=~"[^.]+\\\\.shop\\\\.svc\\\\.cluster\\\\.local(:[0-9]+)?"';
    expect(serviceRetryRates({ window: '5m', namespace: 'shop' }).promql).toBe(
      `sum by (dst) (rate(route_actual_response_total{direction="outbound", ${D}}[5m])) - ` +
        `sum by (dst) (rate(route_response_total{direction="outbound", ${D}}[5m]))`,
    );
  });
  it('refuses matchers on labels the sum drops', () => {
    expect(() => edgeLatencyBuckets({ window: '1m', anyOf: [[eq('pod', 'web-0')]] })).toThrow(/pod/);
  });
});
