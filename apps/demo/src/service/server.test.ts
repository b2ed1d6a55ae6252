import { RouteBehaviour } from '@meshviz/mesh-types';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { closeServer } from '../runtime/lifecycle.js';
import { type SeenRequest, startFakeProxy } from '../testing/fake-proxy.js';
import type { ServiceConfig } from './config.js';
import { type RunningService, startService } from './server.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(routes: Record<string, unknown>[], outboundPort: number): Promise<RunningService> {
  const config: ServiceConfig = {
    listen: { host: '127.0.0.1', port: 0 },
    outbound: { host: '127.0.0.1', port: outboundPort },
    namespace: 'bookshop',
    name: 'web',
    pod: 'web-1',
    routes: routes.map((route) => RouteBehaviour.parse(route)),
    parentPid: undefined,
  };
  const service = await startService(config, pino({ level: 'silent' }));
  cleanups.push(async () => {
    await closeServer(service.server, 100);
    service.outbound.close();
  });
  return service;
}

async function proxy(answer?: (seen: SeenRequest) => number) {
  const fake = await startFakeProxy(answer);
  cleanups.push(fake.close);
  return fake;
}

const url = (service: RunningService, path: string) => `http://127.0.0.1:${service.port}${path}`;

describe('demo service', () => {
  const books = {
    method: 'GET',
    path: '/books',
    latencyMs: 1,
    calls: [
      { service: 'catalog.bookshop', path: '/books' },
      { service: 'reviews.bookshop', method: 'POST', path: '/reviews' },
    ],
  };

  it('calls each downstream in order through the outbound proxy, naming it in the Host header', async () => {
    const fake = await proxy();
    const service = await serve([books], fake.port);
    const res = await fetch(url(service, '/books?page=2'));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ pod: 'web-1', service: 'web.bookshop', route: 'GET /books' });
    expect(fake.seen).toEqual([
      { method: 'GET', path: '/books', host: 'catalog.bookshop.svc.cluster.local' },
      { method: 'POST', path: '/reviews', host: 'reviews.bookshop.svc.cluster.local' },
    ]);
  });

  it('answers 502 when a downstream answers 5xx, and stops calling', async () => {
    const fake = await proxy((seen) => (seen.host.startsWith('catalog.') ? 503 : 200));
    const service = await serve([books], fake.port);
    const res = await fetch(url(service, '/books'));
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ downstream: 'catalog.bookshop', result: { kind: 'response', status: 503 } });
    expect(fake.seen.map((seen) => seen.host)).toEqual(['catalog.bookshop.svc.cluster.local']);
  });

  it('passes a downstream 4xx as a success', async () => {
    const fake = await proxy(() => 404);
    const service = await serve([books], fake.port);
    expect((await fetch(url(service, '/books'))).status).toBe(200);
  });

  it('answers 502 when the outbound proxy cannot be reached', async () => {
    const fake = await startFakeProxy();
    await fake.close();
    const service = await serve([books], fake.port);
    const res = await fetch(url(service, '/books'));
    expect(res.status).toBe(502);
    expect(await res.json()).toMatchObject({ result: { kind: 'error', reason: 'transport' } });
  });

  it('fails exactly failShare of requests with failStatus', async () => {
    const service = await serve([{ path: '/reviews', latencyMs: 0, failShare: 0.1, failStatus: 503 }], 1);
    const statuses: number[] = [];
    for (let i = 0; i < 100; i++) statuses.push((await fetch(url(service, '/reviews'))).status);
    expect(statuses.filter((status) => status === 503).length).toBe(10);
    expect(statuses.filter((status) => status === 200).length).toBe(90);
    expect(statuses[9]).toBe(503);
  });

  it('waits slowMs on the slow share', async () => {
    const service = await serve([{ path: '/slow', latencyMs: 0, slowShare: 1, slowMs: 150 }], 1);
    const started = performance.now();
    expect((await fetch(url(service, '/slow'))).status).toBe(200);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('answers 404 JSON for unknown paths, 405 for other methods, 200 on /healthz', async () => {
    const service = await serve([{ method: 'GET', path: '/books', latencyMs: 0 }], 1);
    const missing = await fetch(url(service, '/nope'));
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await missing.json()).toEqual({ error: 'no such route', method: 'GET', path: '/nope' });
    const wrongMethod = await fetch(url(service, '/books'), { method: 'POST' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
    expect((await fetch(url(service, '/healthz'))).status).toBe(200);
  });
});
