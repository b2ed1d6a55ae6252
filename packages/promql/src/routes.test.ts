import { describe, expect, it } from 'vitest';
import { routeLatencyBuckets, routeResponseRates } from './routes.js';

const w = { namespace: 'bookshop', workload: 'web', window: '1m' };
const s = { namespace: 'bookshop', service: 'web', window: '1m' };
const W = 'deployment="web", direction="inbound", namespace="bookshop"';
const S = 'dst=~"web\\\\.bookshop\\\\.svc\\\\.cluster\\\\.local(:[0-9]+)?"';

describe('route queries', () => {
  it('a workload: its inbound series, effective and actual', () => {
    expect(routeResponseRates(w, 'effective').promql).toBe(
      `sum by (direction, rt_route, classification) (rate(route_response_total{${W}}[1m]))`,
    );
    expect(routeResponseRates(w, 'actual').promql).toBe(
      `sum by (direction, rt_route, classification) (rate(route_actual_response_total{${W}}[1m]))`,
    );
  });
  it('a service: both sides of its authority, with or without a port', () => {
    expect(S).toBe('dst=~"web\\\\.bookshop\\\\.svc\\\\.cluster\\\\.local(:[0-9]+)?"');
    expect(routeResponseRates(s, 'actual').promql).toBe(
      `sum by (direction, rt_route, classification) (rate(route_actual_response_total{${S}}[1m]))`,
    );
    expect(routeLatencyBuckets(s).promql).toBe(
      `sum by (le, direction, rt_route) (rate(route_response_latency_ms_bucket{${S}}[1m]))`,
    );
  });
  it('one route, including the unmatched one', () => {
    expect(routeLatencyBuckets({ ...w, route: '' }).promql).toBe(
      `sum by (le, direction, rt_route) (rate(route_response_latency_ms_bucket{${W}, rt_route=""}[1m]))`,
    );
  });
});
