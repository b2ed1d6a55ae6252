import { describe, expect, it } from 'vitest';
import {
  balancerEndpoints,
  breakerTripRates,
  routeBackendRequestRates,
  routeBackendResponseRates,
  routeRequestErrorRates,
  routeRetryRates,
  splitBackendRequestRates,
  splitBackendResponseRates,
} from './outbound.js';

const reviews = { namespace: 'bookshop', service: 'reviews', window: '1m' };
const P = 'parent_name="reviews", parent_namespace="bookshop"';

describe('outbound route queries of one service', () => {
  it('one query per retry family, by route', () => {
    expect(routeRetryRates(reviews, 'requests').promql).toBe(
      `sum by (route_kind, route_name) (rate(outbound_http_route_retry_requests_total{${P}}[1m]))`,
    );
    expect(routeRetryRates(reviews, 'successes').promql).toBe(
      `sum by (route_kind, route_name) (rate(outbound_http_route_retry_successes_total{${P}}[1m]))`,
    );
    expect(routeRetryRates(reviews, 'limitExceeded').promql).toBe(
      `sum by (route_kind, route_name) (rate(outbound_http_route_retry_limit_exceeded_total{${P}}[1m]))`,
    );
    expect(routeRetryRates({ ...reviews, window: '5m' }, 'overflow').promql).toBe(
      `sum by (route_kind, route_name) (rate(outbound_http_route_retry_overflow_total{${P}}[5m]))`,
    );
  });
  it('final outcomes by error, for the timeouts among all requests', () => {
    expect(routeRequestErrorRates(reviews).promql).toBe(
      `sum by (route_kind, route_name, error) (rate(outbound_http_route_request_statuses_total{${P}}[1m]))`,
    );
  });
  it('the measured split: requests and responses per route and backend', () => {
    expect(routeBackendRequestRates(reviews).promql).toBe(
      `sum by (route_kind, route_name, backend_namespace, backend_name) (rate(outbound_http_route_backend_requests_total{${P}}[1m]))`,
    );
    expect(routeBackendResponseRates(reviews).promql).toBe(
      `sum by (route_kind, route_name, backend_namespace, backend_name, http_status, error) (rate(outbound_http_route_backend_response_statuses_total{${P}}[1m]))`,
    );
  });
  it("each calling proxy's endpoints by state (a gauge, no rate), and breaker trips per endpoint", () => {
    expect(balancerEndpoints(reviews).promql).toBe(
      `sum by (namespace, pod, backend_namespace, backend_name, endpoint_state) (outbound_http_balancer_endpoints{${P}})`,
    );
    expect(breakerTripRates(reviews).promql).toBe(
      `sum by (backend_namespace, backend_name, endpoint) (rate(outbound_http_balancer_breaker_transitions_total{${P}, state="tripped"}[1m]))`,
    );
  });
  it('escapes the names it is given', () => {
    expect(balancerEndpoints({ namespace: 'a"b', service: 'c\\d' }).promql).toBe(
      'sum by (namespace, pod, backend_namespace, backend_name, endpoint_state) (outbound_http_balancer_endpoints{parent_name="c\\\\d", parent_namespace="a\\"b"})',
    );
  });
});

describe('the split of every parent, for the topology', () => {
  it('the whole mesh', () => {
    expect(splitBackendRequestRates({ namespace: null, window: '1m' }).promql).toBe(
      'sum by (parent_namespace, parent_name, route_kind, route_name, backend_namespace, backend_name) (rate(outbound_http_route_backend_requests_total{}[1m]))',
    );
    expect(splitBackendResponseRates({ namespace: null, window: '1m' }).promql).toBe(
      'sum by (parent_namespace, parent_name, backend_namespace, backend_name, http_status, error) (rate(outbound_http_route_backend_response_statuses_total{}[1m]))',
    );
  });
  it("one namespace's parents", () => {
    expect(splitBackendRequestRates({ namespace: 'bookshop', window: '1m' }).promql).toBe(
      'sum by (parent_namespace, parent_name, route_kind, route_name, backend_namespace, backend_name) (rate(outbound_http_route_backend_requests_total{parent_namespace="bookshop"}[1m]))',
    );
  });
});
