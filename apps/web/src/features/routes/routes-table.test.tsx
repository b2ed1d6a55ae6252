import type { RouteRow } from '@meshviz/mesh-types';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { TestIds } from '../../testids';
import { RoutesTable } from './routes-table';

// What the API answers for the constructed outbound mesh (apps/api/src/testing/outbound-mesh.ts), one route of
// catalog and two of reviews in one table.
const latency = (p50: number | null, p95: number | null, p99: number | null) => ({ p50, p95, p99 });
const books: RouteRow = {
  route: 'GET /books',
  rps: 10,
  successRate: 0.997,
  latencyMs: latency(3, 7.5, 9.5),
  actualRps: 11.14,
  actualSuccessRate: 0.8949730700179533,
  direction: 'outbound',
  server: { rps: 11.14, successRate: 0.8949730700179533, latencyMs: latency(2, 7.5, 9.5) },
  configured: {
    timeouts: { requestMs: null, responseMs: 1000, idleMs: null },
    retry: { limit: 2, httpStatuses: [[500, 599]], grpcCodes: [], perAttemptTimeoutMs: 300 },
    fault: null,
  },
  retries: { rps: 1.14, successRps: 0.97, limitExceededRps: 0.02, overflowRps: 0.01 },
  timeouts: { rps: 10, request: 0, response: 0, idle: 0 },
};
const reviews: RouteRow = {
  route: 'GET /reviews',
  rps: 5,
  successRate: 0.9,
  latencyMs: latency(4.1, 9.7, 50),
  actualRps: 5,
  actualSuccessRate: 0.9,
  direction: 'outbound',
  server: null,
  configured: { timeouts: { requestMs: 500, responseMs: null, idleMs: null }, retry: null, fault: null },
  retries: null,
  timeouts: { rps: 5, request: 0.05, response: 0, idle: 0 },
};
const idlePost: RouteRow = {
  route: 'POST /reviews',
  rps: null,
  successRate: null,
  latencyMs: latency(null, null, null),
  actualRps: null,
  actualSuccessRate: null,
  server: null,
  configured: {
    timeouts: { requestMs: null, responseMs: null, idleMs: 10_000 },
    retry: null,
    fault: { abort: { share: 0.1, status: 503 }, delay: null },
  },
  retries: null,
  timeouts: null,
};

const subject = { kind: 'service' as const, namespace: 'bookshop', name: 'reviews' };
const rowsOf = (html: string) => html.split(`data-testid="${TestIds.routeRow}"`).slice(1);
const cell = (row: string, testId: string) => {
  const m = new RegExp(`data-testid="${testId}"[^>]*>(.*?)</td>`).exec(row);
  return (m?.[1] ?? '').replace(/<[^>]+>/g, '');
};
/** The configured timeout or retry policy: a span of its own in the Configured cell. */
const configured = (row: string, testId: string) => {
  const m = new RegExp(`data-testid="${testId}">((?:<span[^>]*>[^<]*</span>|[^<])*)</span>`).exec(row);
  return (m?.[1] ?? '').replace(/<[^>]+>/g, '');
};

describe('RoutesTable of a service: configured policy beside effective and actual', () => {
  const html = renderToStaticMarkup(
    <RoutesTable subject={subject} rows={[books, reviews, idlePost]} window="1m" query="" configured={{ known: true, reason: null }} />,
  );

  it('has the configured and measured reliability columns after the golden metrics', () => {
    const headers = [...html.matchAll(/<th scope="col"[^>]*>(.*?)<\/th>/g)].map((m) => m[1]);
    expect(headers).toEqual([
      'Route',
      'Configured',
      'Success rate',
      'Actual success',
      'RPS',
      'Actual RPS',
      'P50',
      'P95',
      'P99',
      'Retries',
      'Timed out',
      'Seen by',
    ]);
  });

  it('says the timeout and retry policy as configured, and what they did', () => {
    const [b, r, p] = rowsOf(html);
    expect(configured(b!, TestIds.routeTimeout)).toBe('1 s per attempt');
    expect(configured(b!, TestIds.routeRetry)).toBe('up to 2× on 5xx, 300 ms per attempt');
    // 1.14 retries a second, and the requests whose retries ran out below it.
    expect(cell(b!, TestIds.routeRetries)).toBe('1.140.020 ran out');
    expect(b).toContain('title="1.14 rps retries sent; 0.970 rps retries succeeded; 0.020 rps requests ran out of retries; 0.010 rps retries refused by the retry budget"');
    expect(cell(b!, TestIds.routeTimeouts)).toBe('0');
    expect(b).toContain('data-retries="1.14"');
    expect(b).toContain('data-retry-limit="2"');
    expect(configured(r!, TestIds.routeTimeout)).toBe('500 ms');
    expect(configured(r!, TestIds.routeRetry)).toBe('none');
    expect(r).toContain('data-timeout-ms="500"');
    // No retry series: "no data", not 0.
    expect(cell(r!, TestIds.routeRetries)).toBe('—');
    expect(cell(r!, TestIds.routeTimeouts)).toBe('0.050');
    expect(r).toContain('data-timeouts="0.05"');
    // Configured, no traffic: measured by nobody; its fault injection under its name.
    expect(configured(p!, TestIds.routeTimeout)).toBe('10 s idle');
    expect(p).toContain('fault injected: aborts 10% with 503');
    expect(p).toContain('nobody: configured only');
  });

  it('says why when the configured policy is not known, and shows no value for it', () => {
    const unknown = renderToStaticMarkup(
      <RoutesTable
        subject={subject}
        rows={[{ ...books, configured: null }]}
        window="1m"
        query=""
        configured={{ known: false, reason: 'the configured policy is not known: the API has no destinations file (API_DESTINATIONS_FILE is not set)' }}
      />,
    );
    expect(unknown).toContain(`data-testid="${TestIds.configuredUnknown}"`);
    expect(unknown).toContain('API_DESTINATIONS_FILE is not set');
    const [row] = rowsOf(unknown);
    expect(configured(row!, TestIds.routeTimeout)).toBe('—');
    expect(configured(row!, TestIds.routeRetry)).toBe('—');
    expect(row).toContain('data-retry-limit=""');
  });

  it("a workload's routes keep their columns", () => {
    const workload = renderToStaticMarkup(<RoutesTable subject={{ ...subject, kind: 'workload' }} rows={[books]} window="1m" query="" />);
    expect(workload).not.toContain(TestIds.routeTimeout);
    expect(workload).not.toContain('data-retries');
  });
});
