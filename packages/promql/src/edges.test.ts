import { describe, expect, it } from 'vitest';
import { edgeLatencyQuantile, edgeNoTlsReasons, edgeRps, edgeSuccessRps, edgeTlsRps } from './edges.js';

const cs = { hop: 'client-service', namespace: null, window: '1m' } as const;
const csShop = { hop: 'client-service', namespace: 'bookshop', window: '5m' } as const;
const sw = { hop: 'service-workload', namespace: 'bookshop', window: '1m' } as const;
const CS = 'namespace, deployment, dst_namespace, dst_service';
const SW = 'dst_namespace, dst_service, dst_deployment';

describe('edge queries', () => {
  it('client-service rps over every namespace', () => {
    expect(edgeRps(cs)).toBe(`sum by (${CS}) (rate(response_total{direction="outbound"}[1m]))`);
  });
  it('client-service rps for one namespace takes edges on either side', () => {
    expect(edgeRps(csShop)).toBe(
      `sum by (${CS}) (rate(response_total{direction="outbound", namespace="bookshop"}[5m])) or ` +
        `sum by (${CS}) (rate(response_total{direction="outbound", dst_namespace="bookshop"}[5m]))`,
    );
  });
  it('service-workload rps for one namespace looks at the server side only', () => {
    expect(edgeRps(sw)).toBe(
      `sum by (${SW}) (rate(response_total{direction="outbound", dst_namespace="bookshop"}[1m]))`,
    );
  });
  it('success and tls', () => {
    expect(edgeSuccessRps(cs)).toBe(
      `sum by (${CS}) (rate(response_total{classification="success", direction="outbound"}[1m]))`,
    );
    expect(edgeTlsRps(cs)).toBe(`sum by (${CS}) (rate(response_total{direction="outbound", tls="true"}[1m]))`);
  });
  it('reasons for plaintext', () => {
    expect(edgeNoTlsReasons(cs)).toBe(
      `count by (${CS}, no_tls_reason) (response_total{direction="outbound", tls!="true"})`,
    );
  });
  it('latency quantile', () => {
    expect(edgeLatencyQuantile(sw, 0.99)).toBe(
      `histogram_quantile(0.99, sum by (le, ${SW}) (rate(response_latency_ms_bucket{direction="outbound", dst_namespace="bookshop"}[1m])))`,
    );
  });
});
