import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DestinationsFile, OUTBOUND_METRIC, PROXY_ERROR_HEADER } from '@meshviz/mesh-types';
import { parseHostPort } from '@meshviz/runtime';
import type { Logger } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProxyConfig } from '../config.js';
import { type ProxyHandle, startProxy } from '../proxy.js';
import { capturedLog } from '../testing/captured-log.js';
import { startTestDestinationService, type TestDestinationService } from '../testing/destination-service.js';
import { eventually, send } from '../testing/http-fixtures.js';
import {
  createTestPki,
  proxyIdentityConfig,
  startTestIdentityService,
  type TestIdentityService,
  type TestPki,
  testIdentity,
  waitReady,
} from '../testing/identity-fixtures.js';
import { scrape } from '../testing/mesh.js';
import { answer, authority, type CountingApp, consecutive, outboundRoute, shopService, startApp, table } from '../testing/outbound-fixtures.js';
import { total } from '../testing/prom-text.js';
import { silentLog, testConfig } from '../testing/test-config.js';

let pki: TestPki;
let identityService: TestIdentityService;
const cleanups: (() => Promise<void> | void)[] = [];
const apps: Record<string, CountingApp> = {};

beforeAll(async () => {
  pki = await createTestPki();
  identityService = await startTestIdentityService(pki);
  for (const name of ['a', 'b', 'c']) apps[name] = await startApp((req, res) => answer(200)(req, res));
  apps.failing = await startApp(answer(500));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  await Promise.all([identityService.close(), ...Object.values(apps).map((a) => a.close())]);
});

/** A caller's proxy (web.shop, certified) whose discovery is `service`'s stream, ready when it returns. */
async function caller(service: TestDestinationService, config: Partial<ProxyConfig> = {}, log: Logger = silentLog): Promise<ProxyHandle> {
  const proxy = await startProxy(
    testConfig({
      identity: proxyIdentityConfig(identityService, pki, testIdentity('web', 'shop', pki)),
      destinationService: { addr: parseHostPort(service.addr)!, name: service.serviceName },
      ...config,
    }),
    { log, destinationsPollMs: 50 },
  );
  cleanups.push(() => proxy.shutdown());
  await waitReady(proxy);
  return proxy;
}

async function destinationService(): Promise<TestDestinationService> {
  const service = await startTestDestinationService(pki, { heartbeatMs: 200 });
  cleanups.push(() => service.close());
  return service;
}

const call = (proxy: ProxyHandle, service = 'catalog') => send(proxy.addresses.outbound, { headers: { host: authority(service) } });
const catalogOn = (...names: string[]): DestinationsFile => table({ catalog: shopService('catalog', names.map((n) => apps[n]!.addr)) });

describe('the destination stream', () => {
  it('feeds the outbound table: requests wait for the first table, then go by it', async () => {
    const service = await destinationService();
    const proxy = await caller(service, { destinationInitialWaitMs: 5_000 });
    const before = apps.a!.count();
    const started = performance.now();
    const pending = call(proxy);
    await new Promise((r) => setTimeout(r, 200));
    service.publish(catalogOn('a'));
    const reply = await pending;
    expect(reply.status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(apps.a!.count()).toBe(before + 1);
    expect(service.streams.map((s) => s.clientId)).toEqual([testIdentity('web', 'shop', pki)]);
  });

  it('answers 503 no_endpoints when no table comes within the initial wait, at once after that, until one comes', async () => {
    const service = await destinationService();
    const proxy = await caller(service, { destinationInitialWaitMs: 300 });
    const started = performance.now();
    const first = await call(proxy);
    expect(first.status).toBe(503);
    expect(first.headers[PROXY_ERROR_HEADER]).toBe('no_endpoints');
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    const again = performance.now();
    expect((await call(proxy)).status).toBe(503);
    expect(performance.now() - again).toBeLessThan(250);
    service.publish(catalogOn('b'));
    await eventually(async () => expect((await call(proxy)).status).toBe(200));
  });

  it('swaps tables within a second, keeping the state of endpoints that remain (a tripped breaker stays tripped)', async () => {
    const service = await destinationService();
    const withAccrual = (...names: string[]) =>
      table({
        catalog: shopService(
          'catalog',
          names.map((n) => apps[n]!.addr),
          { routes: [outboundRoute('all')], accrual: consecutive({ maxFailures: 3, minPenaltyMs: 60_000, maxPenaltyMs: 60_000 }) },
        ),
      });
    service.publish(withAccrual('a', 'failing'));
    const { log, lines } = capturedLog();
    const proxy = await caller(service, {}, log);
    const failing = apps.failing!;
    const start = failing.count();
    for (let i = 0; i < 100 && failing.count() - start < 3; i++) await call(proxy);
    expect(failing.count() - start).toBe(3);
    const tripped = async () =>
      total(await scrape(proxy), OUTBOUND_METRIC.breakerTransitions, { parent_name: 'catalog', endpoint: failing.addr, state: 'tripped' });
    expect(await tripped()).toBe(1);

    const c = apps.c!;
    const cBefore = c.count();
    const inForce = () => lines.filter((l) => l.msg === 'destinations in force').length;
    const before = inForce();
    const published = Date.now();
    service.publish(withAccrual('a', 'failing', 'c'));
    await eventually(async () => {
      await call(proxy);
      expect(c.count()).toBeGreaterThan(cBefore);
    }, 5_000);
    // The swap is timed by the proxy's own log line (when the new table came into force), not by the test's calls,
    // whose latency on a busy machine is not the stream's.
    expect(inForce()).toBe(before + 1);
    const swapped = lines.filter((l) => l.msg === 'destinations in force').at(-1)!.time as number;
    expect(swapped - published).toBeLessThan(1_000);
    for (let i = 0; i < 20; i++) expect((await call(proxy)).status).toBe(200);
    // The failing endpoint is still sitting out its penalty: the new table did not reset its breaker.
    expect(failing.count() - start).toBe(3);
    expect(await tripped()).toBe(1);
    const m = await scrape(proxy);
    expect(total(m, OUTBOUND_METRIC.balancerEndpoints, { parent_name: 'catalog', endpoint_state: 'ready' })).toBe(2);
    expect(total(m, OUTBOUND_METRIC.balancerEndpoints, { parent_name: 'catalog', endpoint_state: 'pending' })).toBe(1);
  });

  it('keeps the table in force when a message is malformed, says what was wrong, and reconnects', async () => {
    const service = await destinationService();
    service.publish(catalogOn('a'));
    const { log, lines } = capturedLog();
    const proxy = await caller(service, {}, log);
    await eventually(async () => expect((await call(proxy)).status).toBe(200));
    const problems = () =>
      lines.filter((l) => l.msg === 'malformed destination stream message; keeping the current destinations and reconnecting').map((l) => String(l.problem));
    const badRegex = table({
      catalog: shopService('catalog', [apps.b!.addr], {
        routes: [outboundRoute('broken', { matches: [{ path: { type: 'RegularExpression', value: '/x[' }, headers: [] }] })],
      }),
    });
    const bad = [
      'not json at all',
      JSON.stringify({ type: 'destinations', revision: 7, destinations: { services: { x: { namespace: 'shop' } } } }),
      JSON.stringify({ type: 'destinations', revision: 8, destinations: badRegex }),
    ];
    for (const [i, raw] of bad.entries()) {
      await eventually(() => expect(service.open).toBe(1), 5_000);
      const opened = service.streams.length;
      service.sendRaw(raw);
      await eventually(() => expect(problems()).toHaveLength(i + 1), 5_000);
      await eventually(() => expect(service.streams.length).toBe(opened + 1), 5_000);
    }
    expect(problems()[0]).toMatch(/^not JSON: /);
    expect(problems()[1]).toMatch(/^does not match DestinationStreamMessage: destinations\.services\.x\./);
    expect(problems()[2]).toMatch(
      /^destinations revision 8: outbound of catalog\.shop\.svc\.cluster\.local: routes\[0\] \(HTTPRoute\/broken\): matches\[0\]: path: "\/x\[" is not a valid regular expression/,
    );
    // Still the first table: catalog is a.
    const before = apps.a!.count();
    expect((await call(proxy)).status).toBe(200);
    expect(apps.a!.count()).toBe(before + 1);
  });

  it('uses the destinations file until the stream\'s first table, then follows the stream only', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'meshviz-dst-'));
    cleanups.push(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'destinations.json');
    await writeFile(file, JSON.stringify(catalogOn('a')));
    const service = await destinationService();
    const { log, lines } = capturedLog();
    const proxy = await caller(service, { destinationsFile: file }, log);
    const counts = () => [apps.a!.count(), apps.b!.count()];
    let [a, b] = counts();
    expect((await call(proxy)).status).toBe(200);
    expect(counts()).toEqual([a! + 1, b]);
    service.publish(catalogOn('b'));
    await eventually(() => expect(lines.some((l) => l.msg === 'destinations in force' && l.revision === 1)).toBe(true));
    [a, b] = counts();
    await call(proxy);
    expect(counts()).toEqual([a, b! + 1]);
    // The file changes again: no longer followed.
    await writeFile(file, JSON.stringify(catalogOn('a')));
    await new Promise((r) => setTimeout(r, 300));
    [a, b] = counts();
    await call(proxy);
    expect(counts()).toEqual([a, b! + 1]);
  });
});
