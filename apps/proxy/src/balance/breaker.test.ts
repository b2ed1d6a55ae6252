import { OUTBOUND_METRIC, PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/http-fixtures.js';
import {
  answer,
  type CountingApp,
  consecutive,
  type OutboundClient,
  outboundRoute,
  routeOf,
  shopService,
  startApp,
  startOutboundClient,
  table,
} from '../testing/outbound-fixtures.js';
import { total } from '../testing/prom-text.js';

/**
 * catalog has a good replica and one whose behaviour the test sets: failing at once, failing after 300 ms, or
 * healthy. Its breaker trips after 7 consecutive failures for 1 s, doubling per trip, without jitter. solo has a
 * single replica that always fails.
 */
describe('circuit breaking (failure accrual consecutive)', () => {
  let good: CountingApp;
  let bad: CountingApp;
  let broken: CountingApp;
  let client: OutboundClient;
  let mode: 'fail' | 'slow-fail' | 'ok' = 'fail';
  let goodDelayMs = 0;

  beforeAll(async () => {
    good = await startApp((req, res) => answer(200, goodDelayMs)(req, res));
    bad = await startApp((req, res) => {
      if (mode === 'ok') return answer(200)(req, res);
      answer(500, mode === 'slow-fail' ? 300 : 0)(req, res);
    });
    broken = await startApp(answer(500));
    client = await startOutboundClient(
      table({
        catalog: shopService('catalog', [good.addr, bad.addr], { routes: [outboundRoute('all')], accrual: consecutive({ minPenaltyMs: 1_000, maxPenaltyMs: 5_000 }) }),
        solo: shopService('solo', [broken.addr], { routes: [outboundRoute('solo')], accrual: consecutive({ minPenaltyMs: 60_000 }) }),
      }),
    );
  });
  afterAll(async () => {
    await client.close();
    await Promise.all([good.close(), bad.close(), broken.close()]);
  });

  const transitions = async (state: string): Promise<number> =>
    total(await client.metrics(), OUTBOUND_METRIC.breakerTransitions, { parent_name: 'catalog', backend_name: 'catalog', endpoint: bad.addr, state });
  const endpoints = async (state: string): Promise<number> =>
    total(await client.metrics(), OUTBOUND_METRIC.balancerEndpoints, { parent_namespace: 'shop', parent_name: 'catalog', backend_namespace: 'shop', backend_name: 'catalog', endpoint_state: state });

  it('trips a failing endpoint after 7 consecutive failures, then sends it nothing', async () => {
    for (let i = 0; i < 300 && bad.count() < 7; i++) await client.call('catalog');
    expect(bad.count()).toBe(7);
    for (let i = 0; i < 15; i++) expect((await client.call('catalog')).status).toBe(200);
    expect(bad.count()).toBe(7);
    expect(await transitions('tripped')).toBe(1);
    expect(await endpoints('ready')).toBe(1);
    expect(await endpoints('pending')).toBe(1);
  });

  it('in probation lets exactly one real request through; its failure trips the breaker again', async () => {
    await eventually(async () => expect(await transitions('probation')).toBe(1), 3_000);
    mode = 'slow-fail';
    const replies = await Promise.all(Array.from({ length: 10 }, () => client.call('catalog')));
    expect(bad.count()).toBe(8);
    expect(replies.filter((r) => r.status === 500)).toHaveLength(1);
    expect(await transitions('tripped')).toBe(2);
    // Still tripped (2 s now): nothing more reaches it.
    for (let i = 0; i < 10; i++) expect((await client.call('catalog')).status).toBe(200);
    expect(bad.count()).toBe(8);
  });

  it('closes the breaker when the probe succeeds, and the endpoint takes traffic again', async () => {
    mode = 'ok';
    await eventually(async () => expect(await transitions('probation')).toBe(2), 4_000);
    for (let i = 0; i < 5; i++) expect((await client.call('catalog')).status).toBe(200);
    expect(bad.count()).toBe(9);
    expect(await transitions('closed')).toBe(1);
    expect(await endpoints('ready')).toBe(2);
    expect(await endpoints('pending')).toBe(0);
    // Its round-trip estimate still remembers the 300 ms failures, so it is chosen again once the other replica is
    // slower than that: it is back in the balancer, not merely out of the breaker.
    goodDelayMs = 400;
    for (let i = 0; i < 6; i++) expect((await client.call('catalog')).status).toBe(200);
    expect(bad.count()).toBeGreaterThanOrEqual(13);
  });

  it('fails fast with 503 no_endpoints when every endpoint is tripped', async () => {
    for (let i = 0; i < 7; i++) expect((await client.call('solo')).status).toBe(500);
    const started = performance.now();
    const reply = await client.call('solo');
    expect(performance.now() - started).toBeLessThan(200);
    expect(reply.status).toBe(503);
    expect(reply.headers[PROXY_ERROR_HEADER]).toBe('no_endpoints');
    expect(broken.count()).toBe(7);
    await eventually(async () => {
      const m = await client.metrics();
      expect(total(m, OUTBOUND_METRIC.routeRequestStatuses, { ...routeOf('solo', 'solo'), http_status: '503', error: 'no_endpoints' })).toBe(1);
      expect(total(m, OUTBOUND_METRIC.routeRequestStatuses, { ...routeOf('solo', 'solo'), http_status: '500', error: '' })).toBe(7);
      expect(total(m, OUTBOUND_METRIC.balancerEndpoints, { parent_name: 'solo', endpoint_state: 'pending' })).toBe(1);
    });
  });
});
