import http from 'node:http';
import { METRIC, OUTBOUND_METRIC, PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../testing/http-fixtures.js';
import { authority, type CountingApp, type OutboundClient, outboundRoute, routeOf, shopService, startApp, startOutboundClient, table } from '../testing/outbound-fixtures.js';
import { total } from '../testing/prom-text.js';

/** web's routes: canary requests (header) to v2 only, GETs under /api split 80/20 between v1 and v2, nothing else. */
describe('outbound routes: matching in order and the weighted split', () => {
  let v1: CountingApp;
  let v2: CountingApp;
  let client: OutboundClient;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });

  beforeAll(async () => {
    v1 = await startApp((_req, res) => res.end('v1'));
    v2 = await startApp((_req, res) => res.end('v2'));
    const canary = outboundRoute('canary', {
      matches: [{ path: { type: 'PathPrefix', value: '/api' }, headers: [{ name: 'X-Canary', type: 'Exact', value: 'yes' }] }],
      backends: [{ authority: authority('web-v2'), weight: 1 }],
    });
    const api = outboundRoute('api', {
      matches: [{ method: 'GET', path: { type: 'PathPrefix', value: '/api' }, headers: [] }],
      backends: [
        { authority: authority('web-v1'), weight: 80 },
        { authority: `${authority('web-v2')}:8080`, weight: 20 },
      ],
    });
    client = await startOutboundClient(
      table({
        web: shopService('web', [], { routes: [canary, api] }),
        'web-v1': shopService('web-v1', [v1.addr]),
        'web-v2': shopService('web-v2', [v2.addr]),
      }),
    );
  });
  afterAll(async () => {
    agent.destroy();
    await client.close();
    await Promise.all([v1.close(), v2.close()]);
  });

  it('splits 1000 requests by weight (within 2 %), counted per backend exactly', async () => {
    const bodies: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < 1000) {
        next += 1;
        const reply = await client.call('web', { path: `/api/items/${next}`, agent });
        expect(reply.status).toBe(200);
        bodies.push(reply.body.toString());
      }
    };
    await Promise.all(Array.from({ length: 10 }, worker));
    expect(bodies).toHaveLength(1000);
    const toV1 = bodies.filter((b) => b === 'v1').length;
    expect(Math.abs(toV1 / 1000 - 0.8)).toBeLessThanOrEqual(0.02);
    expect(v1.count() + v2.count()).toBe(1000);
    await eventually(async () => {
      const m = await client.metrics();
      const route = routeOf('web', 'api');
      expect(total(m, OUTBOUND_METRIC.routeBackendRequests, { ...route, backend_namespace: 'shop', backend_name: 'web-v1' })).toBe(v1.count());
      expect(total(m, OUTBOUND_METRIC.routeBackendRequests, { ...route, backend_namespace: 'shop', backend_name: 'web-v2' })).toBe(v2.count());
      expect(total(m, OUTBOUND_METRIC.routeBackendResponseStatuses, { ...route, backend_name: 'web-v1', http_status: '200', error: '' })).toBe(v1.count());
      expect(total(m, OUTBOUND_METRIC.routeRequestStatuses, { ...route, http_status: '200', error: '' })).toBe(1000);
      // rt_route is the route's name; dst the parent service.
      expect(total(m, METRIC.routeRequestTotal, { direction: 'outbound', dst: authority('web'), rt_route: 'api' })).toBe(1000);
      // Requests are labelled with the endpoint they reached, under the authority the app called.
      expect(total(m, METRIC.requestTotal, { authority: authority('web'), dst_service: 'web-v1' })).toBe(v1.count());
    });
  });

  it('takes the first route that matches, headers in any case; answers 404 route_not_found when none does', async () => {
    const before = v2.count();
    for (let i = 0; i < 5; i++) {
      const reply = await client.call('web', { method: 'POST', path: '/api/items', headers: { 'x-canary': 'yes' } });
      expect(reply.body.toString()).toBe('v2');
    }
    expect(v2.count()).toBe(before + 5);
    const unrouted = await client.call('web', { method: 'POST', path: '/api/items' });
    expect(unrouted.status).toBe(404);
    expect(unrouted.headers[PROXY_ERROR_HEADER]).toBe('route_not_found');
    expect((await client.call('web', { path: '/apis' })).status).toBe(404);
    await eventually(async () => {
      const m = await client.metrics();
      expect(total(m, OUTBOUND_METRIC.routeRequestStatuses, { ...routeOf('web', 'canary'), http_status: '200' })).toBe(5);
      expect(total(m, METRIC.responseTotal, { authority: authority('web'), error: 'route_not_found', dst_service: 'web' })).toBe(2);
    });
  });
});
