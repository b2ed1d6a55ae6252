import { METRIC, OUTBOUND_METRIC, PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/http-fixtures.js';
import { answer, authority, type CountingApp, type OutboundClient, outboundRoute, routeOf, shopService, startApp, startOutboundClient, table } from '../testing/outbound-fixtures.js';
import { total } from '../testing/prom-text.js';
import { FAULT_HEADER } from './inject.js';

/** reviews aborts 10 % of its requests with 503 and delays 20 % by 100 ms; every 10th request gets both. */
describe('fault injection', () => {
  let app: CountingApp;
  let client: OutboundClient;

  beforeAll(async () => {
    app = await startApp(answer(200));
    const route = outboundRoute('reviews', { fault: { abort: { share: 0.1, status: 503 }, delay: { share: 0.2, ms: 100 } } });
    client = await startOutboundClient(table({ reviews: shopService('reviews', [app.addr], { routes: [route] }) }));
  });
  afterAll(async () => {
    await client.close();
    await app.close();
  });

  it('aborts and delays exactly their share of requests, and counts each', async () => {
    const results: { status: number; fault: string | undefined; proxyError: string | undefined; ms: number }[] = [];
    for (let i = 0; i < 50; i++) {
      const started = performance.now();
      const reply = await client.call('reviews', { method: 'POST', body: 'review' });
      const header = (name: string) => reply.headers[name] as string | undefined;
      results.push({ status: reply.status, fault: header(FAULT_HEADER), proxyError: header(PROXY_ERROR_HEADER), ms: performance.now() - started });
    }
    const aborted = results.filter((r) => r.status === 503);
    expect(aborted).toHaveLength(5);
    // Marked as a fault, not as one of the proxy's own failures.
    expect(aborted.every((r) => r.fault === 'abort' && r.proxyError === undefined)).toBe(true);
    expect(results.filter((r) => r.status === 200 && r.fault === undefined)).toHaveLength(45);
    expect(app.count()).toBe(45);
    // The 5th, 10th… are delayed: 10 requests, 5 of them also aborted after the delay.
    for (const n of [5, 10, 15, 20, 25, 30, 35, 40, 45, 50]) expect(results[n - 1]!.ms).toBeGreaterThanOrEqual(95);
    await eventually(async () => {
      const m = await client.metrics();
      const route = routeOf('reviews', 'reviews');
      expect(total(m, OUTBOUND_METRIC.faultsInjected, { ...route, fault: 'abort' })).toBe(5);
      expect(total(m, OUTBOUND_METRIC.faultsInjected, { ...route, fault: 'delay' })).toBe(10);
      expect(total(m, OUTBOUND_METRIC.routeRequestStatuses, { ...route, http_status: '503', error: '' })).toBe(5);
      expect(total(m, OUTBOUND_METRIC.routeRequestStatuses, { ...route, http_status: '200', error: '' })).toBe(45);
      // Aborts never reach a backend: 45 attempts were sent.
      expect(total(m, OUTBOUND_METRIC.routeBackendRequests, route)).toBe(45);
      // The answers the caller saw, as the mesh's metrics count them: the aborts are failures of the service.
      expect(total(m, METRIC.responseTotal, { authority: authority('reviews'), status_code: '503', classification: 'failure' })).toBe(5);
    });
  });
});
