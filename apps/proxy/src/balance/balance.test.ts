import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answer, type CountingApp, type OutboundClient, shopService, startApp, startOutboundClient, table } from '../testing/outbound-fixtures.js';

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
