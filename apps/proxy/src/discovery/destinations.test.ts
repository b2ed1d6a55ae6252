import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DestinationsFile, NO_FAILURE_ACCRUAL, type OutboundConfig, type OutboundRoute } from '@meshviz/mesh-types';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eventually } from '../testing/http-fixtures.js';
import { silentLog } from '../testing/test-config.js';
import { DestinationsTable, parseDestinations, type ServiceTarget } from './destinations.js';
import { watchDestinationsFile } from './watch.js';

const file = (pods: string[]): DestinationsFile => ({
  services: {
    'catalog.bookshop.svc.cluster.local': {
      namespace: 'bookshop',
      service: 'catalog',
      endpoints: pods.map((pod, i) => ({
        addr: `127.0.0.1:${4200 + i}`,
        namespace: 'bookshop',
        deployment: 'catalog',
        pod,
      })),
    },
  },
});

describe('DestinationsTable', () => {
  it('matches hosts without port and builds stable labelled targets', () => {
    const table = new DestinationsTable();
    table.replace(file(['catalog-0', 'catalog-1']));
    const service = table.lookup('catalog.bookshop.svc.cluster.local');
    expect(service?.endpoints.map((e) => e.destination.targetAddr)).toEqual(['127.0.0.1:4200', '127.0.0.1:4201']);
    expect(service?.endpoints[1]?.destination.meta).toEqual({
      service: 'catalog',
      namespace: 'bookshop',
      deployment: 'catalog',
      pod: 'catalog-1',
    });
    expect(service?.destination).toMatchObject({ targetAddr: '', meta: { service: 'catalog', namespace: 'bookshop' } });
    const firstKey = service?.endpoints[0]?.destination.key;
    table.replace(file(['catalog-0']));
    expect(table.lookup('catalog.bookshop.svc.cluster.local')?.endpoints[0]?.destination.key).toBe(firstKey);
    expect(table.lookup('web.bookshop.svc.cluster.local')).toBeUndefined();
  });

  it('explains why a file is rejected', () => {
    expect(() => parseDestinations('{')).toThrow(/not valid JSON/);
    expect(() => parseDestinations('{"services":{"a":{"namespace":"n","service":"a","endpoints":[{"addr":"x"}]}}}')).toThrow(
      /does not match the destinations schema: services\.a\.endpoints\.0\.addr/,
    );
    // A retry or timeout written into the metrics route table (it belongs to `outbound`) is refused, not dropped.
    const misplaced = { namespace: 'n', service: 'a', endpoints: [], routes: [{ name: 'books', pathPrefix: '/books', timeouts: { request: '1s' } }] };
    expect(() => parseDestinations(JSON.stringify({ services: { a: misplaced } }))).toThrow(
      /does not match the destinations schema: services\.a\.routes\.0: Unrecognized key: "timeouts"/,
    );
  });
});

const outboundRoute = (over: Partial<OutboundRoute> = {}): OutboundRoute => ({
  kind: 'HTTPRoute',
  name: 'books',
  matches: [{ path: { type: 'PathPrefix', value: '/books' }, headers: [] }],
  backends: [{ authority: 'catalog.bookshop.svc.cluster.local', weight: 1 }],
  timeouts: { requestMs: null, responseMs: null, idleMs: null },
  retry: null,
  fault: null,
  ...over,
});

const withOutbound = (outbound: OutboundConfig, pods = ['catalog-0']): DestinationsFile => {
  const base = file(pods);
  return { services: { 'catalog.bookshop.svc.cluster.local': { ...base.services['catalog.bookshop.svc.cluster.local']!, outbound } } };
};

describe('DestinationsTable with outbound routes', () => {
  it('refuses a malformed outbound config, naming the service, route and field, and keeps the table in force', () => {
    const table = new DestinationsTable();
    table.replace(file(['catalog-0']));
    const bad = (route: Partial<OutboundRoute>, accrual = NO_FAILURE_ACCRUAL) =>
      () => table.replace(withOutbound({ routes: [outboundRoute(route)], accrual }, ['catalog-0', 'catalog-1']));
    expect(bad({ matches: [{ path: { type: 'RegularExpression', value: '/books[' }, headers: [] }] })).toThrow(
      /^outbound of catalog\.bookshop\.svc\.cluster\.local: routes\[0\] \(HTTPRoute\/books\): matches\[0\]: path: "\/books\[" is not a valid regular expression/,
    );
    expect(bad({ backends: [{ authority: 'bad host', weight: 1 }] })).toThrow(
      'outbound of catalog.bookshop.svc.cluster.local: routes[0] (HTTPRoute/books): backends[0]: "bad host" is not a valid authority',
    );
    expect(bad({ retry: { limit: 1, httpStatuses: [[504, 500]], grpcCodes: [], perAttemptTimeoutMs: null } })).toThrow(
      'routes[0] (HTTPRoute/books): retry: httpStatuses[0]: [504, 500] is not a range (504 > 500)',
    );
    expect(bad({}, { ...NO_FAILURE_ACCRUAL, kind: 'consecutive', minPenaltyMs: 5_000, maxPenaltyMs: 1_000 })).toThrow(
      'outbound of catalog.bookshop.svc.cluster.local: accrual: maxPenaltyMs (1000) is below minPenaltyMs (5000)',
    );
    expect(table.lookup('catalog.bookshop.svc.cluster.local')?.endpoints).toHaveLength(1);
    expect(table.lookup('catalog.bookshop.svc.cluster.local')?.outbound).toBeUndefined();
  });

  it('warns about a backend discovery does not list, and carries each balancer and its endpoint state over updates', () => {
    const table = new DestinationsTable();
    const routes = [outboundRoute({ backends: [{ authority: 'catalog.bookshop.svc.cluster.local', weight: 9 }, { authority: 'gone.bookshop.svc.cluster.local:80', weight: 1 }] })];
    const warnings = table.replace(withOutbound({ routes, accrual: NO_FAILURE_ACCRUAL }));
    expect(warnings).toEqual([
      'outbound of catalog.bookshop.svc.cluster.local: routes[0] (HTTPRoute/books): backends[1]: gone.bookshop.svc.cluster.local:80 is not in discovery; its share of the route\'s requests is answered 503 no_endpoints',
    ]);
    const pools = () => [...table.balancers()].map((p) => `${p.parent.name}→${p.backend.name}:${p.endpoints.length}`).sort();
    expect(pools()).toEqual(['catalog→catalog:1', 'catalog→gone.bookshop.svc.cluster.local:0']);
    const before = [...table.balancers()].find((p) => p.backend.name === 'catalog')!;
    before.endpoints[0]!.inFlight = 3;
    table.replace(withOutbound({ routes: [outboundRoute()], accrual: NO_FAILURE_ACCRUAL }, ['catalog-0', 'catalog-1']));
    const after = [...table.balancers()].find((p) => p.backend.name === 'catalog')!;
    expect(after).toBe(before);
    expect(after.endpoints.map((e) => e.inFlight)).toEqual([3, 0]);
    expect(pools()).toEqual(['catalog→catalog:2']);
  });

  it('keeps an outbound route\'s retry budget across updates, so a new table does not refill it', () => {
    const table = new DestinationsTable();
    const retry = { limit: 1, httpStatuses: [[500, 599]] as [number, number][], grpcCodes: [], perAttemptTimeoutMs: null };
    const config = { routes: [outboundRoute({ retry })], accrual: NO_FAILURE_ACCRUAL };
    const request = { method: 'GET', path: '/books', headers: [], grpc: false } as unknown as Parameters<NonNullable<ServiceTarget['outbound']>['match']>[0];
    const budgetNow = () => table.lookup('catalog.bookshop.svc.cluster.local')?.outbound?.match(request)?.budget;
    table.replace(withOutbound(config));
    const first = budgetNow();
    expect(first).toBeDefined();
    table.replace(withOutbound(config, ['catalog-0', 'catalog-1']));
    expect(budgetNow()).toBe(first);
    table.replace(withOutbound({ ...config, routes: [outboundRoute({ name: 'renamed', retry })] }));
    expect(budgetNow()).not.toBe(first);
  });

  it('makes requests wait for the first table when it comes from the destination stream', async () => {
    const table = new DestinationsTable({ awaitFirst: true, initialWaitMs: 5_000 });
    expect(table.settled).toBe(false);
    const waiting = table.whenSettled();
    table.replace(file(['catalog-0']));
    expect(await waiting).toBe(true);
    const late = new DestinationsTable({ awaitFirst: true, initialWaitMs: 30 });
    const started = performance.now();
    expect(await late.whenSettled()).toBe(false);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    // Given up: later requests do not wait again.
    expect(await late.whenSettled()).toBe(false);
    late.replace(file([]));
    expect(late.settled).toBe(true);
  });
});

describe('watchDestinationsFile', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'meshviz-proxy-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reloads on change, keeps the last good table when the file breaks, and follows atomic renames', async () => {
    const path = join(dir, 'destinations.json');
    await writeFile(path, JSON.stringify(file(['catalog-0'])));
    const table = new DestinationsTable();
    const source = watchDestinationsFile(path, table, silentLog, 20);
    try {
      const pods = () => table.lookup('catalog.bookshop.svc.cluster.local')?.endpoints.map((e) => e.destination.meta?.pod);
      expect(pods()).toEqual(['catalog-0']);

      await writeFile(path, JSON.stringify(file(['catalog-0', 'catalog-1'])));
      await eventually(() => expect(pods()).toEqual(['catalog-0', 'catalog-1']));

      await writeFile(path, '{"services": ');
      await new Promise((r) => setTimeout(r, 150));
      expect(pods()).toEqual(['catalog-0', 'catalog-1']);

      await writeFile(join(dir, 'next.json'), JSON.stringify(file(['catalog-9'])));
      await rename(join(dir, 'next.json'), path);
      await eventually(() => expect(pods()).toEqual(['catalog-9']));
    } finally {
      source.close();
    }
  });

  it('starts empty when the file does not exist yet and picks it up once written', async () => {
    const path = join(dir, 'later.json');
    const table = new DestinationsTable();
    const source = watchDestinationsFile(path, table, silentLog, 20);
    try {
      expect(table.size).toBe(0);
      await writeFile(path, JSON.stringify(file(['catalog-0'])));
      await eventually(() => expect(table.size).toBe(1));
    } finally {
      source.close();
    }
  });
});
