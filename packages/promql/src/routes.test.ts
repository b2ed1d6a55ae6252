import { describe, expect, it } from 'vitest';
import { routeActualRps, routeActualSuccessRps, routeLatencyQuantile, routeRps, routeSuccessRps } from './routes.js';

const s = { namespace: 'bookshop', workload: 'web', window: '1m' };
const M = 'deployment="web", direction="inbound", namespace="bookshop"';

describe('route queries', () => {
  it('effective', () => {
    expect(routeRps(s)).toBe(`sum by (rt_route) (rate(route_response_total{${M}}[1m]))`);
    expect(routeSuccessRps(s)).toBe(
      `sum by (rt_route) (rate(route_response_total{classification="success", ${M}}[1m]))`,
    );
  });
  it('actual, retries included', () => {
    expect(routeActualRps(s)).toBe(`sum by (rt_route) (rate(route_actual_response_total{${M}}[1m]))`);
    expect(routeActualSuccessRps(s)).toBe(
      `sum by (rt_route) (rate(route_actual_response_total{classification="success", ${M}}[1m]))`,
    );
  });
  it('one route, including the unmatched one', () => {
    expect(routeLatencyQuantile({ ...s, route: '' }, 0.5)).toBe(
      `histogram_quantile(0.5, sum by (le, rt_route) (rate(route_response_latency_ms_bucket{${M}, rt_route=""}[1m])))`,
    );
  });
});
