import http from 'node:http';
import { OUTBOUND_METRIC } from '@meshviz/mesh-types';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, type CountingApp, type OutboundClient, shopService, startApp, startOutboundClient, table } from '../testing/outbound-fixtures.js';
import { total } from '../testing/prom-text.js';

/**
 * Two replicas of one service, one ten times slower than the other; the client keeps 2 requests in flight.
 * Balancing on requests in flight alone gives the slow one about a tenth (ties go either way); peak-EWMA a few
 * requests at most.
 */
describe('balancing by peak-EWMA round-trip estimates', () => {
  let fast: CountingApp;
  let slow: CountingApp;
  let client: OutboundClient;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });

  beforeAll(async () => {
    fast = await startApp(answer(200, 20));
    slow = await startApp(answer(200, 200));
    client = await startOutboundClient(table({ catalog: shopService('catalog', [fast.addr, slow.addr]) }));
  });
  afterAll(async () => {
    agent.destroy();
    await client.close();
    await Promise.all([fast.close(), slow.close()]);
  });

  it('sends a 10× slower endpoint less than 10 % of the requests', async () => {
    let sent = 0;
    const worker = async () => {
      while (sent < 200) {
        sent += 1;
        expect((await client.call('catalog', { agent })).status).toBe(200);
      }
    };
    await Promise.all(Array.from({ length: 2 }, worker));
    expect(fast.count() + slow.count()).toBe(200);
    expect(slow.count() / 200).toBeLessThan(0.1);
    // It is not starved either: in-flight work on the fast one, and its own estimate decaying, send it some.
    expect(slow.count()).toBeGreaterThan(0);
  });
});

/**
 * Three replicas, one killed (nothing listens on its port: connections are refused at once). Its refusals are
 * fast, so without a connect backoff its round-trip estimate would draw most requests to it.
 */
describe('an endpoint that refuses connections', () => {
  let live: CountingApp[];
  let deadAddr: string;
  let client: OutboundClient;

  beforeAll(async () => {
    live = await Promise.all([startApp(answer(200, 1)), startApp(answer(200, 1))]);
    const dead = await startApp(answer(200));
    deadAddr = dead.addr;
    await dead.close();
    client = await startOutboundClient(table({ catalog: shopService('catalog', [deadAddr, ...live.map((a) => a.addr)]) }));
  });
  afterAll(async () => {
    await client.close();
    await Promise.all(live.map((a) => a.close()));
  });

  it('sends bodyless requests that met the refusal to another endpoint: none fails, no retry policy needed', async () => {
    for (let i = 0; i < 200; i++) expect((await client.call('catalog')).status).toBe(200);
    expect(live[0]!.count() + live[1]!.count()).toBe(200);
    const metrics = await client.metrics();
    expect(total(metrics, OUTBOUND_METRIC.balancerEndpoints, { parent_name: 'catalog', endpoint_state: 'pending' })).toBe(1);
    expect(total(metrics, OUTBOUND_METRIC.balancerEndpoints, { parent_name: 'catalog', endpoint_state: 'ready' })).toBe(2);
  });

  it('offers it again only after its connect backoff (100 ms doubling to 500 ms), so a request with a body rarely meets it', async () => {
    const started = performance.now();
    let refused = 0;
    for (let i = 0; i < 200; i++) {
      const reply = await client.call('catalog', { method: 'POST', body: 'order' });
      if (reply.status === 502) refused += 1;
      else expect(reply.status).toBe(200);
    }
    const elapsed = performance.now() - started;
    // One refusal per backoff at most: the waits run 100, 200, 400, then 500 ms (less 10 % jitter).
    expect(refused).toBeLessThanOrEqual(4 + Math.floor(elapsed / 450));
  });
});
