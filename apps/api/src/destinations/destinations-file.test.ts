import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceAuthority } from '@meshviz/mesh-types';
import pino from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { backendOf, configuredRoutes, configuredSplit, failureAccrualOf, podsByAddress, serviceEntry } from './configured.js';
import { destinationsSource, NO_DESTINATIONS } from './destinations-file.js';

const entry = (service: string, extra: object = {}) => ({
  namespace: 'shop',
  service,
  endpoints: [{ addr: `10.0.0.${service.length}:4143`, namespace: 'shop', deployment: service, pod: `${service}-0` }],
  ...extra,
});
const table = (weight: number) => ({
  services: {
    [serviceAuthority('items', 'shop')]: entry('items', {
      outbound: {
        routes: [
          {
            kind: 'HTTPRoute',
            name: 'items-get',
            matches: [{ path: { type: 'PathPrefix', value: '/items' }, headers: [] }],
            backends: [
              { authority: `${serviceAuthority('items', 'shop')}:8080`, weight: 100 - weight },
              { authority: serviceAuthority('items-next', 'shop'), weight },
            ],
            timeouts: { requestMs: 2000, responseMs: null, idleMs: null },
            retry: null,
            fault: null,
          },
        ],
        accrual: { kind: 'consecutive', maxFailures: 5, minPenaltyMs: 500, maxPenaltyMs: 30_000, jitter: 0.2 },
      },
    }),
    [`${serviceAuthority('items-next', 'shop')}:8080`]: entry('items-next'),
    [serviceAuthority('legacy', 'shop')]: entry('legacy', { routes: [{ name: 'GET /old', method: 'GET', path: '/old', retries: { limit: 3 } }, { name: 'POST /old' }] }),
  },
});

describe('the destinations file (API_DESTINATIONS_FILE)', () => {
  let dir = '';
  let file = '';
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshviz-destinations-'));
    file = join(dir, 'destinations.json');
  });
  const log = pino({ level: 'silent' });

  it('is read, and read again when the control plane rewrites it or renames a new one over it', async () => {
    await writeFile(file, JSON.stringify(table(10)));
    const source = destinationsSource(file, log);
    const first = await source.read();
    expect(first.source).toEqual({ known: true, reason: null });
    expect(first.table?.services[serviceAuthority('items', 'shop')]?.outbound?.routes[0]?.backends[1]?.weight).toBe(10);
    // Unchanged: the same table, not read again.
    expect((await source.read()).table).toBe(first.table);
    await writeFile(file, JSON.stringify(table(25)));
    expect((await source.read()).table?.services[serviceAuthority('items', 'shop')]?.outbound?.routes[0]?.backends[1]?.weight).toBe(25);
    await writeFile(join(dir, 'next.json'), JSON.stringify(table(50)));
    await rename(join(dir, 'next.json'), file);
    expect((await source.read()).table?.services[serviceAuthority('items', 'shop')]?.outbound?.routes[0]?.backends[1]?.weight).toBe(50);
  });

  it('tolerates a missing, invalid or half-written file, saying why, and recovers when it is good again', async () => {
    const source = destinationsSource(file, log);
    expect(await source.read()).toEqual({ table: null, source: { known: false, reason: expect.stringMatching(/API_DESTINATIONS_FILE\) does not exist/) } });
    await writeFile(file, '{"services": {');
    expect((await source.read()).source.reason).toMatch(/is not a valid destinations file: not JSON/);
    await writeFile(file, JSON.stringify({ services: { x: { namespace: 'shop', service: 'x', endpoints: [{ addr: 'nope' }] } } }));
    expect((await source.read()).source.reason).toMatch(/is not a valid destinations file: services\.x\.endpoints\.0\.addr: must be host:port/);
    await writeFile(file, JSON.stringify(table(10)));
    expect((await source.read()).source.known).toBe(true);
    await rm(file);
    expect((await source.read()).table).toBeNull();
    // The answer never names the file's path: that is in the log only.
    expect(JSON.stringify(await source.read())).not.toContain(dir);
  });

  it('without one, every configured field is unknown and the reason names the variable', async () => {
    expect((await NO_DESTINATIONS.read()).source.reason).toMatch(/API_DESTINATIONS_FILE is not set/);
  });
});

describe('the configured policy of a service', () => {
  const t = table(10) as Parameters<typeof serviceEntry>[0];
  it('finds an entry by namespace and name, whatever its key', () => {
    expect(serviceEntry(t, 'shop', 'items-next')?.service).toBe('items-next');
    expect(serviceEntry(t, 'other', 'items')).toBeUndefined();
  });
  it('names a backend by its authority, with or without a port', () => {
    expect(backendOf(t, 'items-next.shop.svc.cluster.local:8080')).toEqual({ namespace: 'shop', name: 'items-next', authority: 'items-next.shop.svc.cluster.local' });
    expect(backendOf(t, 'gone.shop.svc.cluster.local')).toEqual({ namespace: 'shop', name: 'gone', authority: 'gone.shop.svc.cluster.local' });
  });
  it('splits each route by its weights', () => {
    const items = serviceEntry(t, 'shop', 'items')!;
    expect(configuredSplit(t, items).map((b) => [b.route.name, b.backend.name, b.weight, b.share])).toEqual([
      ['items-get', 'items', 90, 0.9],
      ['items-get', 'items-next', 10, 0.1],
    ]);
    expect(configuredRoutes(items).get('items-get')).toEqual({ timeouts: { requestMs: 2000, responseMs: null, idleMs: null }, retry: null, fault: null });
    expect(failureAccrualOf(items)).toMatchObject({ kind: 'consecutive', maxFailures: 5 });
  });
  it('reads a service without outbound configuration as the proxies apply it: its route table, one route to itself, no breaker', () => {
    const legacy = serviceEntry(t, 'shop', 'legacy')!;
    expect(configuredRoutes(legacy).get('GET /old')?.retry).toEqual({ limit: 3, httpStatuses: [[500, 599]], grpcCodes: [], perAttemptTimeoutMs: null });
    expect(configuredRoutes(legacy).get('POST /old')?.retry).toBeNull();
    expect(configuredSplit(t, legacy).map((b) => [b.route.kind, b.route.name, b.backend.name, b.share])).toEqual([['default', 'default', 'legacy', 1]]);
    expect(failureAccrualOf(legacy).kind).toBe('none');
  });
  it('knows the pod behind each endpoint address', () => {
    expect(podsByAddress(t).get('10.0.0.5:4143')).toBe('items-0');
  });
});
