import { OUTBOUND_METRIC, PROXY_ERROR_HEADER, TIMEOUT_ERRORS } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/http-fixtures.js';
import { answer, type CountingApp, type OutboundClient, outboundRoute, routeOf, shopService, startApp, startOutboundClient, table } from '../testing/outbound-fixtures.js';
import { total } from '../testing/prom-text.js';

const statuses = OUTBOUND_METRIC.routeRequestStatuses;

/**
 * Each service answers in its own way; the client's proxy has a 600 ms PROXY_RESPONSE_TIMEOUT, so a route that
 * sets no timeout can be told apart from one that does.
 */
describe('route timeouts, outbound', () => {
  const apps: CountingApp[] = [];
  let client: OutboundClient;
  /** Per request id, how many attempts the "flaky" app has seen: the first hangs, later ones answer at once. */
  const attempts = new Map<string, number>();
  /** When each attempt reached the "failing" app. */
  const failingAttempts: number[] = [];

  beforeAll(async () => {
    const slow = await startApp(answer(200, 1_500));
    const failing = await startApp((req, res) => {
      failingAttempts.push(performance.now());
      answer(503, 150)(req, res);
    });
    const flaky = await startApp((req, res) => {
      const id = String(req.headers['x-id']);
      const seen = (attempts.get(id) ?? 0) + 1;
      attempts.set(id, seen);
      if (seen > 1) res.end(`attempt ${seen}`);
    });
    const stalling = await startApp((req, res) => {
      if (req.url === '/headers') return; // never answers
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.write('first part;');
      // …and nothing more.
    });
    const medium = await startApp(answer(200, 800));
    apps.push(slow, failing, flaky, stalling, medium);
    client = await startOutboundClient(
      table({
        slow: shopService('slow', [slow.addr], { routes: [outboundRoute('slow', { timeouts: { requestMs: 300, responseMs: null, idleMs: null } })] }),
        failing: shopService('failing', [failing.addr], {
          routes: [
            outboundRoute('failing', {
              timeouts: { requestMs: 400, responseMs: null, idleMs: null },
              retry: { limit: 5, httpStatuses: [[500, 599]], grpcCodes: [], perAttemptTimeoutMs: null },
            }),
          ],
        }),
        flaky: shopService('flaky', [flaky.addr], {
          routes: [outboundRoute('flaky', { retry: { limit: 2, httpStatuses: [], grpcCodes: [], perAttemptTimeoutMs: 200 } })],
        }),
        hanging: shopService('hanging', [flaky.addr], { routes: [outboundRoute('hanging', { timeouts: { requestMs: null, responseMs: 150, idleMs: null } })] }),
        stalling: shopService('stalling', [stalling.addr], { routes: [outboundRoute('stalling', { timeouts: { requestMs: null, responseMs: null, idleMs: 250 } })] }),
        medium: shopService('medium', [medium.addr], { routes: [outboundRoute('medium', { timeouts: { requestMs: 1_500, responseMs: null, idleMs: null } })] }),
        plain: shopService('plain', [medium.addr], { routes: [outboundRoute('plain')] }),
      }),
      { responseTimeoutMs: 600 },
    );
  });
  afterAll(async () => {
    await client.close();
    await Promise.all(apps.map((a) => a.close()));
  });

  it('answers 504 request_timeout when the whole request outlives requestMs', async () => {
    const started = performance.now();
    const reply = await client.call('slow');
    const took = performance.now() - started;
    expect(reply.status).toBe(504);
    expect(reply.headers[PROXY_ERROR_HEADER]).toBe('request_timeout');
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(1_400);
    await eventually(async () => {
      const m = await client.metrics();
      expect(total(m, statuses, { ...routeOf('slow', 'slow'), http_status: '504', error: TIMEOUT_ERRORS.request })).toBe(1);
      expect(total(m, statuses, routeOf('slow', 'slow'))).toBe(1);
    });
  });

  it('never retries past the deadline: retries stop when requestMs runs out', async () => {
    // Each attempt fails after 150 ms: attempts start at about 0, 150 and 300 ms; the deadline (400 ms) cuts the
    // third, and no fourth may start.
    const started = performance.now();
    const reply = await client.call('failing');
    const ended = performance.now();
    expect(reply.status).toBe(504);
    expect(reply.headers[PROXY_ERROR_HEADER]).toBe('request_timeout');
    const attempts = failingAttempts.map((at) => at - started);
    expect(attempts.length).toBeGreaterThanOrEqual(2);
    expect(attempts.every((ms) => ms < ended - started)).toBe(true);
    await new Promise((r) => setTimeout(r, 500));
    expect(failingAttempts).toHaveLength(attempts.length);
    const m = await client.metrics();
    expect(total(m, OUTBOUND_METRIC.retryRequests, routeOf('failing', 'failing'))).toBe(attempts.length - 1);
    expect(total(m, statuses, { ...routeOf('failing', 'failing'), http_status: '504', error: TIMEOUT_ERRORS.request })).toBe(1);
  });

  it('retries an attempt that outlived the retry policy\'s per-attempt timeout', async () => {
    const started = performance.now();
    const reply = await client.call('flaky', { headers: { 'x-id': 'one' } });
    expect(reply.status).toBe(200);
    expect(reply.body.toString()).toBe('attempt 2');
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    await eventually(async () => {
      const m = await client.metrics();
      expect(total(m, OUTBOUND_METRIC.retryRequests, routeOf('flaky', 'flaky'))).toBe(1);
      expect(total(m, OUTBOUND_METRIC.retrySuccesses, routeOf('flaky', 'flaky'))).toBe(1);
      const backend = { ...routeOf('flaky', 'flaky'), backend_name: 'flaky' };
      expect(total(m, OUTBOUND_METRIC.routeBackendResponseStatuses, { ...backend, http_status: '504', error: TIMEOUT_ERRORS.response })).toBe(1);
      expect(total(m, OUTBOUND_METRIC.routeBackendResponseStatuses, { ...backend, http_status: '200', error: '' })).toBe(1);
      expect(total(m, statuses, { ...routeOf('flaky', 'flaky'), http_status: '200', error: '' })).toBe(1);
    });
  });

  it('answers 504 response_timeout when an attempt outlives responseMs, and does not retry without a retry policy', async () => {
    const before = attempts.get('two') ?? 0;
    const reply = await client.call('hanging', { headers: { 'x-id': 'two' } });
    expect(reply.status).toBe(504);
    expect(reply.headers[PROXY_ERROR_HEADER]).toBe('response_timeout');
    expect(attempts.get('two')).toBe(before + 1);
    await eventually(async () => {
      const m = await client.metrics();
      expect(total(m, statuses, { ...routeOf('hanging', 'hanging'), http_status: '504', error: TIMEOUT_ERRORS.response })).toBe(1);
    });
  });

  it('cuts a response body that stalls longer than idleMs, and a wait for headers as long', async () => {
    const cut = await client.call('stalling').then(
      () => 'complete',
      (error: NodeJS.ErrnoException) => error.code ?? error.message,
    );
    expect(cut).toBe('ECONNRESET');
    // idle_timeout, not the proxy's own response_timeout (600 ms), which would come later.
    const headers = await client.call('stalling', { path: '/headers' });
    expect(headers.status).toBe(504);
    expect(headers.headers[PROXY_ERROR_HEADER]).toBe('idle_timeout');
    await eventually(async () => {
      const m = await client.metrics();
      expect(total(m, statuses, { ...routeOf('stalling', 'stalling'), http_status: '200', error: TIMEOUT_ERRORS.idle })).toBe(1);
      expect(total(m, statuses, { ...routeOf('stalling', 'stalling'), http_status: '504', error: TIMEOUT_ERRORS.idle })).toBe(1);
    });
  });

  it('lets a route with a request timeout wait past the proxy\'s response timeout; a route without timeouts keeps it', async () => {
    const reply = await client.call('medium');
    expect(reply.status).toBe(200);
    const plain = await client.call('plain');
    expect(plain.status).toBe(504);
    expect(plain.headers[PROXY_ERROR_HEADER]).toBe('response_timeout');
  });
});
