import type { RetryPolicy, RouteConfigured, RoutesResponse } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { fmtDuration, fmtRetry, fmtTimeouts } from './outbound-format.js';
import { parseRouteTarget, renderRoutes } from './routes.js';
import { UsageError } from './usage-error.js';

describe('meshviz routes <target>', () => {
  it.each([
    ['web', { param: 'workload', name: 'web' }],
    ['deploy/web', { param: 'workload', name: 'web' }],
    ['deployment/web', { param: 'workload', name: 'web' }],
    ['svc/web', { param: 'service', name: 'web' }],
    ['service/web-api', { param: 'service', name: 'web-api' }],
  ])('reads %s', (arg, expected) => {
    expect(parseRouteTarget(arg)).toEqual(expected);
  });

  it.each([
    [undefined, /needs a workload or a service/],
    ['pod/web-0', /<target> "pod\/web-0": the kind must be deploy or svc/],
    ['svc/Web', /<target> "svc\/Web": "Web" is not a service name/],
    ['deploy/', /<target> "deploy\/": "" is not a workload name/],
  ])('refuses %s, naming the argument', (arg, message) => {
    expect(() => parseRouteTarget(arg)).toThrow(UsageError);
    expect(() => parseRouteTarget(arg)).toThrow(message);
  });
});

// What the API answered on the constructed outbound mesh (apps/api/src/testing/outbound-mesh.ts): catalog's route
// retries 5xx twice with 300 ms per attempt; reviews' GET /reviews times out after 500 ms, and its POST /reviews is
// configured (idle timeout, fault) and saw no traffic.
const latency = (p50: number | null, p95: number | null, p99: number | null) => ({ p50, p95, p99 });
const CATALOG: RoutesResponse = {
  window: '1m',
  namespace: 'bookshop',
  workload: '',
  service: 'catalog',
  configured: { known: true, reason: null },
  rows: [
    {
      route: 'GET /books',
      rps: 10,
      successRate: 0.9970000000000001,
      latencyMs: latency(3, 7.5, 9.500000000000002),
      actualRps: 11.14,
      actualSuccessRate: 0.8949730700179533,
      direction: 'outbound',
      server: { rps: 11.14, successRate: 0.8949730700179533, latencyMs: latency(2, 7.4999999999999964, 9.5) },
      configured: {
        timeouts: { requestMs: null, responseMs: 1000, idleMs: null },
        retry: { limit: 2, httpStatuses: [[500, 599]], grpcCodes: [], perAttemptTimeoutMs: 300 },
        fault: null,
      },
      retries: { rps: 1.14, successRps: 0.97, limitExceededRps: 0.02, overflowRps: 0.01 },
      timeouts: { rps: 10.000000000000002, request: 0, response: 0, idle: 0 },
    },
  ],
};
const REVIEWS: RoutesResponse = {
  window: '1m',
  namespace: 'bookshop',
  workload: '',
  service: 'reviews',
  configured: { known: true, reason: null },
  rows: [
    {
      route: 'GET /reviews',
      rps: 5,
      successRate: 0.9,
      latencyMs: latency(4.138888888888889, 9.666666666666668, 50),
      actualRps: 5,
      actualSuccessRate: 0.9,
      direction: 'outbound',
      server: { rps: 5, successRate: 0.9, latencyMs: latency(3.138888888888889, 9.444444444444446, 40) },
      configured: { timeouts: { requestMs: 500, responseMs: null, idleMs: null }, retry: null, fault: null },
      retries: null,
      timeouts: { rps: 4.999999999999999, request: 0.05, response: 0, idle: 0 },
    },
    {
      route: 'POST /reviews',
      rps: null,
      successRate: null,
      latencyMs: latency(null, null, null),
      actualRps: null,
      actualSuccessRate: null,
      server: null,
      configured: {
        timeouts: { requestMs: null, responseMs: null, idleMs: 10000 },
        retry: null,
        fault: { abort: { share: 0.1, status: 503 }, delay: null },
      },
      retries: null,
      timeouts: null,
    },
  ],
};

describe('meshviz routes output of a service', () => {
  it('shows the configured TIMEOUT and RETRY beside what retries and timeouts did', () => {
    expect(renderRoutes(CATALOG, true)).toBe(
      [
        'ROUTE        SUCCESS       RPS   ACTUAL_SUCCESS   ACTUAL_RPS      P50      P95      P99   VIEW      TIMEOUT   RETRY          RETRIES   TIMEOUTS',
        'GET /books    99.70%   10.0rps           89.50%      11.1rps   3.00ms   7.50ms   9.50ms   callers   resp=1s   2x 5xx/300ms   1.14rps    0.00rps',
        'GET /books: 0.02rps ran out of retries; 0.01rps found the retry budget spent',
      ].join('\n'),
    );
  });

  it('a configured route without traffic, timeouts by kind, and "-" where nothing is known', () => {
    const out = renderRoutes(REVIEWS, true).split('\n');
    expect(out[1]).toMatch(/^GET \/reviews\s+90\.00%\s+5\.00rps\s+90\.00%\s+5\.00rps\s+.*callers\s+500ms\s+none\s+-\s+0\.05rps$/);
    expect(out[2]).toMatch(/^POST \/reviews\s+no traffic\s+-\s+-\s+-\s+-\s+-\s+-\s+-\s+idle=10s\s+none\s+-\s+-$/);
    expect(out[3]).toBe('GET /reviews: timeouts: 0.05rps request');
    const unknown: RoutesResponse = {
      ...REVIEWS,
      rows: REVIEWS.rows.map((r) => ({ ...r, configured: null })),
      configured: { known: false, reason: 'the configured policy is not known: the API has no destinations file (API_DESTINATIONS_FILE is not set)' },
    };
    const lines = renderRoutes(unknown, true).split('\n');
    expect(lines[1]).toMatch(/callers\s+-\s+-\s+-\s+0\.05rps$/);
    expect(lines.at(-1)).toBe(
      'configured policy not known: the configured policy is not known: the API has no destinations file (API_DESTINATIONS_FILE is not set)',
    );
  });

  it("a workload's routes keep their columns", () => {
    expect(renderRoutes({ ...CATALOG, service: undefined, workload: 'catalog' }, false).split('\n')[0]).toBe(
      'ROUTE        SUCCESS       RPS   ACTUAL_SUCCESS   ACTUAL_RPS      P50      P95      P99',
    );
  });
});

describe('configured policy, as operators write it', () => {
  it.each([
    [500, '500ms'],
    [1000, '1s'],
    [1500, '1.5s'],
    [120_000, '2m'],
    [90_000, '90s'],
  ])('%d ms is %s', (ms, text) => {
    expect(fmtDuration(ms)).toBe(text);
  });
  const none = { requestMs: null, responseMs: null, idleMs: null };
  it('timeouts', () => {
    expect(fmtTimeouts(null)).toBe('-');
    expect(fmtTimeouts({ timeouts: none, retry: null, fault: null })).toBe('none');
    expect(fmtTimeouts({ timeouts: { requestMs: 2000, responseMs: 300, idleMs: 60_000 }, retry: null, fault: null })).toBe('2s,resp=300ms,idle=1m');
  });
  it('retries', () => {
    const policy = (p: Partial<RetryPolicy>): RouteConfigured => ({
      timeouts: none,
      retry: { limit: 1, httpStatuses: [], grpcCodes: [], perAttemptTimeoutMs: null, ...p },
      fault: null,
    });
    expect(fmtRetry(undefined)).toBe('-');
    expect(fmtRetry(policy({ limit: 0 }))).toBe('none');
    expect(fmtRetry(policy({ httpStatuses: [[502, 504]], grpcCodes: [14] }))).toBe('1x 502-504|grpc:14');
    expect(fmtRetry(policy({ limit: 3, httpStatuses: [[503, 503]] }))).toBe('3x 503');
    // Failed connections are always retried; a policy without statuses retries only those.
    expect(fmtRetry(policy({}))).toBe('1x connect');
  });
});
