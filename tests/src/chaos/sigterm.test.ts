import { afterAll, describe, expect, it } from 'vitest';
import { send } from '../../../apps/proxy/src/testing/http-fixtures.js';
import { spawnApp } from '../support/app-process.js';
import { spawnProxy } from '../support/proxy-process.js';

/**
 * SIGTERM to a proxy process with requests in flight: each request the app received is answered to its client, the
 * others' clients get an error; none is silently lost, and new connections are refused. (kill -9 of a replica: replica-kill.chaos.test.ts, `npm run chaos`.)
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
    // Every request the app received was answered to its client; the rest were told (a reset or a refusal: the
    // proxy had not accepted them when it stopped listening). None hangs, none is answered with another's body.
    const received = Number((await send(app.addr, { path: '/__received' })).body.toString());
    const answered = outcomes.filter((o) => 'status' in o);
    expect(answered.length).toBe(received);
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.every((o) => 'status' in o && o.status === 200 && o.body === 'ok slow')).toBe(true);
    expect(outcomes.filter((o) => 'error' in o).every((o) => 'error' in o && /ECONNRESET|ECONNREFUSED/.test(o.error))).toBe(true);
    expect(late).toMatch(/ECONNREFUSED|ECONNRESET|answered 503/);
    expect(await proxy.exited).toBe(0);
  });
});
