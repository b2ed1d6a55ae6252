import { afterAll, describe, expect, it } from 'vitest';
import { send } from '../../../apps/proxy/src/testing/http-fixtures.js';
import { spawnApp } from '../support/app-process.js';
import { spawnProxy } from '../support/proxy-process.js';

/**
 * SIGTERM to a proxy process with requests in flight: each completes, or its client gets an error; none is silently
 * lost, and new connections are refused. (kill -9 of a replica: replica-kill.chaos.test.ts, `npm run chaos`.)
 */
const started: { kill(): Promise<void> }[] = [];
afterAll(async () => {
  await Promise.all(started.map((p) => p.kill()));
});

describe('SIGTERM with traffic flowing', () => {
  it('SIGTERM to a proxy with requests in flight: each completes or its client is told; new connections are refused', async () => {
    const app = await spawnApp('slow', 600);
    started.push(app);
    const proxy = await spawnProxy({ PROXY_INBOUND_FORWARD_ADDR: app.addr, PROXY_SHUTDOWN_GRACE_PERIOD: '5s' });
    started.push(proxy);
    const inFlight = Array.from({ length: 40 }, (_, i) =>
      send(proxy.addresses.inbound, { path: `/in-flight-${i}` }).then(
        (r) => ({ status: r.status, body: r.body.toString() }),
        (e: NodeJS.ErrnoException) => ({ error: e.code ?? e.message }),
      ),
    );
    await new Promise((r) => setTimeout(r, 200));
    proxy.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 100));
    const late = await send(proxy.addresses.inbound, { path: '/after-sigterm' }).then(
      (r) => `answered ${r.status}`,
      (e: NodeJS.ErrnoException) => e.code ?? e.message,
    );
    const outcomes = await Promise.all(inFlight);
    expect(outcomes).toEqual(Array.from({ length: 40 }, () => ({ status: 200, body: 'ok slow' })));
    expect(late).toMatch(/ECONNREFUSED|ECONNRESET|answered 503/);
    expect(await proxy.exited).toBe(0);
  });
});
