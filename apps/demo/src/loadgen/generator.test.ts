import { setTimeout as sleep } from 'node:timers/promises';
import { RouteBehaviour } from '@meshviz/mesh-types';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { closeServer } from '../runtime/lifecycle.js';
import { OutboundClient } from '../runtime/outbound-client.js';
import { startService } from '../service/server.js';
import { startFakeProxy } from '../testing/fake-proxy.js';
import { CountStore } from './count-store.js';
import { startGenerator } from './generator.js';

const silent = pino({ level: 'silent' });

describe('load generator', () => {
  it('sends a steady rate through its outbound proxy, by weight, naming the target in Host', async () => {
    const proxy = await startFakeProxy((seen) => (seen.path === '/checkout' ? 503 : 200));
    const load = {
      namespace: 'traffic',
      name: 'loadgen',
      rate: 50,
      targets: [
        { service: 'web.bookshop', method: 'GET' as const, path: '/books', weight: 3 },
        { service: 'web.bookshop', method: 'POST' as const, path: '/checkout', weight: 1 },
      ],
    };
    const outbound = new OutboundClient({ host: '127.0.0.1', port: proxy.port });
    const store = new CountStore(load.targets);
    const startedMs = Date.now();
    const generator = startGenerator(load, outbound, store, silent);
    await sleep(3_100);
    const stoppedMs = Date.now();
    await generator.stop();
    outbound.close();
    await proxy.close();

    // Seconds that lie wholly inside the run together hold rate × seconds ± 2 completed requests. How evenly the
    // sends spread inside a second is pinned with a fake clock in steady-schedule.test.ts; here, on a real clock,
    // a stall of the shared machine bunches completions into one second, so single seconds are not compared.
    const firstFull = Math.ceil(startedMs / 1000);
    const lastFull = Math.floor(stoppedMs / 1000) - 1;
    expect(lastFull).toBeGreaterThanOrEqual(firstFull + 1);
    const inFullSeconds = store.query({ from: firstFull, to: lastFull + 1 }).total;
    expect(Math.abs(inFullSeconds - 50 * (lastFull - firstFull + 1))).toBeLessThanOrEqual(2);

    const all = store.query({ from: 0 });
    expect(all.total).toBe(proxy.seen.length);
    const [books, checkout] = all.targets;
    expect(Math.abs(books!.total - 3 * checkout!.total)).toBeLessThanOrEqual(3);
    expect(checkout).toMatchObject({ failures: checkout!.total, statuses: { '503': checkout!.total } });
    expect(books!.latencyMs.p50).toBeGreaterThan(0);
    expect(new Set(proxy.seen.map((seen) => seen.host))).toEqual(new Set(['web.bookshop.svc.cluster.local']));
    // The first four sends follow the weights (3:1); a stall of the shared machine can reorder their arrival.
    expect(proxy.seen.slice(0, 4).map((seen) => `${seen.method} ${seen.path}`).sort()).toEqual([
      'GET /books',
      'GET /books',
      'GET /books',
      'POST /checkout',
    ]);
  });

  it('counts exactly the failures a demo service injects', async () => {
    const service = await startService(
      {
        listen: { host: '127.0.0.1', port: 0 },
        outbound: { host: '127.0.0.1', port: 1 },
        namespace: 'bookshop',
        name: 'reviews',
        pod: 'reviews-0',
        routes: [RouteBehaviour.parse({ path: '/reviews', latencyMs: 0, failShare: 0.1, failStatus: 500 })],
        parentPid: undefined,
      },
      silent,
    );
    // No proxy in between: the service ignores Host, so the generator can talk to it directly.
    const outbound = new OutboundClient({ host: '127.0.0.1', port: service.port });
    const load = { namespace: 'traffic', name: 'loadgen', rate: 200, targets: [{ service: 'reviews.bookshop', method: 'GET' as const, path: '/reviews', weight: 1 }] };
    const store = new CountStore(load.targets);
    const generator = startGenerator(load, outbound, store, silent);
    await sleep(1_000);
    await generator.stop();
    outbound.close();
    await closeServer(service.server, 100);
    service.outbound.close();

    const { targets } = store.query({ from: 0 });
    expect(targets[0]!.total).toBeGreaterThan(150);
    expect(targets[0]!.failures).toBe(Math.floor(targets[0]!.total / 10));
    expect(targets[0]!.statuses.error).toBeUndefined();
  });
});
