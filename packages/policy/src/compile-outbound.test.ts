import { DestinationsFile, NO_FAILURE_ACCRUAL, type OutboundRoute } from '@meshviz/mesh-types';
import { describe, expect, it } from 'vitest';
import { PolicyCompileError } from './authorizations.js';
import { compileOutbound } from './compile-outbound.js';
import { demoDestinations, loadTexts, loadWithDestinations } from './testing/mesh.js';

const CATALOG = 'catalog.bookshop.svc.cluster.local';
const CANARY = 'catalog-v2.bookshop.svc.cluster.local';
const REVIEWS = 'reviews.bookshop.svc.cluster.local';
const BASE = demoDestinations({ namespace: 'bookshop', service: 'catalog-v2' });

const NO_TIMEOUTS = { requestMs: null, responseMs: null, idleMs: null };
const ALL = { path: { type: 'PathPrefix', value: '/' }, headers: [] };

/** Compiles and checks the result against the contract's own schema, which must leave it unchanged. */
function compile(base: DestinationsFile, ...texts: string[]) {
  const out = compileOutbound(loadWithDestinations(base, ...texts), base);
  expect(DestinationsFile.parse(out)).toEqual(out);
  return out;
}

function route(name: string, annotations: Record<string, string>, spec: string, kind = 'HTTPRoute'): string {
  const ann = Object.entries(annotations)
    .map(([k, v]) => `\n    ${k}: "${v}"`)
    .join('');
  return `apiVersion: gateway.networking.k8s.io/v1
kind: ${kind}
metadata:
  name: ${name}
  namespace: bookshop${ann ? `\n  annotations:${ann}` : ''}
spec:
${spec}
`;
}

function service(name: string, annotations: Record<string, string>): string {
  const ann = Object.entries(annotations)
    .map(([k, v]) => `\n    ${k}: "${v}"`)
    .join('');
  return `apiVersion: v1
kind: Service
metadata:
  name: ${name}
  namespace: bookshop
  annotations:${ann}
spec:
  ports: [{ port: 80 }]
`;
}

const TO_CATALOG = '  parentRefs: [{ group: core, kind: Service, name: catalog }]';

describe('compileOutbound', () => {
  it('splits a route between backends by weight, and leaves every other service as discovery lists it', () => {
    const split = route(
      'catalog-split',
      {},
      `${TO_CATALOG}
  rules:
    - backendRefs:
        - { name: catalog, port: 8080, weight: 90 }
        - { name: catalog-v2, weight: 10 }`,
    );
    const out = compile(BASE, split);
    expect(out.services[CATALOG]?.outbound).toEqual({
      routes: [
        {
          kind: 'HTTPRoute',
          name: 'catalog-split',
          matches: [ALL],
          backends: [
            { authority: CATALOG, weight: 90 },
            { authority: CANARY, weight: 10 },
          ],
          timeouts: NO_TIMEOUTS,
          retry: null,
          fault: null,
        },
      ],
      accrual: NO_FAILURE_ACCRUAL,
    });
    const { outbound: _, ...catalogEntry } = out.services[CATALOG]!;
    expect(catalogEntry).toEqual(BASE.services[CATALOG]);
    for (const authority of Object.keys(BASE.services).filter((a) => a !== CATALOG)) {
      expect(out.services[authority]).toEqual(BASE.services[authority]);
    }
    expect(Object.keys(out.services)).toEqual(Object.keys(BASE.services));
  });

  it('sends a route without backendRefs to its parent Service, and a weight left out counts 1', () => {
    const text = route(
      'both',
      {},
      `  parentRefs: [{ group: "", kind: Service, name: catalog }, { group: core, kind: Service, name: reviews }]
  rules:
    - matches: [{ path: { type: Exact, value: /items } }]
    - matches: [{ path: { value: /canary } }]
      backendRefs: [{ name: catalog-v2 }]`,
    );
    const out = compile(BASE, text);
    const backends = (authority: string) => out.services[authority]?.outbound?.routes.map((r) => r.backends);
    expect(backends(CATALOG)).toEqual([[{ authority: CATALOG, weight: 1 }], [{ authority: CANARY, weight: 1 }]]);
    expect(backends(REVIEWS)).toEqual([[{ authority: REVIEWS, weight: 1 }], [{ authority: CANARY, weight: 1 }]]);
  });

  it("takes a timeout from the route's annotation, then the HTTPRoute's timeouts field, then the Service's annotation", () => {
    const svc = service('catalog', {
      'timeout.meshviz.io/request': '30s',
      'timeout.meshviz.io/response': '5s',
      'timeout.meshviz.io/idle': '1m',
    });
    const annotated = route(
      'annotated',
      { 'timeout.meshviz.io/request': '3s' },
      `${TO_CATALOG}
  rules:
    - matches: [{ path: { type: Exact, value: /a } }]
      timeouts: { request: 10s, backendRequest: 2s }`,
    );
    const fieldOnly = route(
      'field-only',
      {},
      `${TO_CATALOG}
  rules:
    - matches: [{ path: { type: Exact, value: /b } }]
      timeouts: { request: 1m30s }
    - matches: [{ path: { type: Exact, value: /c } }]
      timeouts: { request: 0s }`,
    );
    const plain = route('plain', {}, TO_CATALOG);
    const routes = compile(BASE, svc, annotated, fieldOnly, plain).services[CATALOG]!.outbound!.routes;
    expect(routes.map((r) => [r.name, r.matches[0]?.path?.value, r.timeouts])).toEqual([
      ['annotated', '/a', { requestMs: 3_000, responseMs: 2_000, idleMs: 60_000 }],
      ['field-only', '/b', { requestMs: 90_000, responseMs: 5_000, idleMs: 60_000 }],
      // 0s is "no timeout", and it still wins over the Service's 30s.
      ['field-only', '/c', { requestMs: null, responseMs: 5_000, idleMs: 60_000 }],
      ['plain', '/', { requestMs: 30_000, responseMs: 5_000, idleMs: 60_000 }],
    ]);
  });

  it('retries only where an annotation names what to retry; the route wins annotation by annotation; limit defaults to 1', () => {
    const svc = service('catalog', { 'retry.meshviz.io/http': '5xx' });
    const grpc = route(
      'grpc-retries',
      {
        'retry.meshviz.io/grpc': 'unavailable, deadline-exceeded',
        'retry.meshviz.io/limit': '3',
        'retry.meshviz.io/timeout': '300ms',
      },
      `${TO_CATALOG}
  rules: [{ matches: [{ method: { service: bookshop.v1.Catalog } }] }]`,
      'GRPCRoute',
    );
    const http = route(
      'http-retries',
      { 'retry.meshviz.io/http': 'gateway-error,500-501, 429' },
      `${TO_CATALOG}
  rules: [{ matches: [{ path: { type: Exact, value: /items } }] }]`,
    );
    const inherits = route('inherits', {}, TO_CATALOG);
    const routes = compile(BASE, svc, grpc, http, inherits).services[CATALOG]!.outbound!.routes;
    expect(routes.map((r) => [r.kind, r.name, r.retry])).toEqual([
      [
        'GRPCRoute',
        'grpc-retries',
        { limit: 3, httpStatuses: [[500, 599]], grpcCodes: [14, 4], perAttemptTimeoutMs: 300 },
      ],
      [
        'HTTPRoute',
        'http-retries',
        {
          limit: 1,
          httpStatuses: [
            [502, 504],
            [500, 501],
            [429, 429],
          ],
          grpcCodes: [],
          perAttemptTimeoutMs: null,
        },
      ],
      ['HTTPRoute', 'inherits', { limit: 1, httpStatuses: [[500, 599]], grpcCodes: [], perAttemptTimeoutMs: null }],
    ]);
    // Without a retry condition anywhere, a limit asks for nothing.
    const limitOnly = route('limit-only', { 'retry.meshviz.io/limit': '2' }, '  parentRefs: [{ group: core, kind: Service, name: reviews }]');
    expect(compile(BASE, limitOnly).services[REVIEWS]!.outbound!.routes[0]!.retry).toBeNull();
  });

  it("injects faults from the route's and the Service's annotations", () => {
    const svc = service('catalog', { 'fault.meshviz.io/abort': '0.5:500' });
    const faulty = route(
      'faulty',
      { 'fault.meshviz.io/abort': '0.1:503', 'fault.meshviz.io/delay': '0.05:200ms' },
      `${TO_CATALOG}
  rules: [{ matches: [{ path: { type: Exact, value: /a } }] }]`,
    );
    const delayed = route(
      'delayed',
      { 'fault.meshviz.io/delay': '1:1s' },
      `${TO_CATALOG}
  rules: [{ matches: [{ path: { type: Exact, value: /b } }] }]`,
    );
    const routes = compile(BASE, svc, faulty, delayed).services[CATALOG]!.outbound!.routes;
    expect(routes.map((r) => [r.name, r.fault])).toEqual([
      ['delayed', { abort: { share: 0.5, status: 500 }, delay: { share: 1, ms: 1_000 } }],
      ['faulty', { abort: { share: 0.1, status: 503 }, delay: { share: 0.05, ms: 200 } }],
    ]);
  });

  it("keeps the routes discovery names for a Service with annotations and no Gateway API routes, then the default", () => {
    const named = {
      services: {
        ...BASE.services,
        [REVIEWS]: {
          ...BASE.services[REVIEWS]!,
          routes: [
            { name: 'GET /reviews', method: 'GET' as const, path: '/reviews' },
            { name: 'admin', pathPrefix: '/admin' },
          ],
        },
      },
    };
    const svc = service('reviews', { 'retry.meshviz.io/http': '5xx' });
    const routes = compile(named, svc).services[REVIEWS]!.outbound!.routes;
    expect(routes.map((r) => [r.kind, r.name, r.matches])).toEqual([
      ['default', 'GET /reviews', [{ path: { type: 'Exact', value: '/reviews' }, method: 'GET', headers: [] }]],
      ['default', 'admin', [{ path: { type: 'PathPrefix', value: '/admin' }, headers: [] }]],
      ['default', 'default', [{ headers: [] }]],
    ]);
    // Each takes the Service's settings and goes to the Service itself.
    for (const r of routes) {
      expect(r.backends).toEqual([{ authority: REVIEWS, weight: 1 }]);
      expect(r.retry).toEqual({ limit: 1, httpStatuses: [[500, 599]], grpcCodes: [], perAttemptTimeoutMs: null });
    }
  });

  it("gives a Service with annotations and no routes one default route to itself, with the Service's failure accrual", () => {
    const svc = service('reviews', {
      'balancer.meshviz.io/failure-accrual': 'consecutive',
      'balancer.meshviz.io/failure-accrual-consecutive-max-failures': '3',
      'balancer.meshviz.io/failure-accrual-consecutive-jitter-ratio': '0.2',
      'timeout.meshviz.io/request': '2s',
      'retry.meshviz.io/http': '503',
    });
    const expected: OutboundRoute = {
      kind: 'default',
      name: 'default',
      matches: [{ headers: [] }],
      backends: [{ authority: REVIEWS, weight: 1 }],
      timeouts: { requestMs: 2_000, responseMs: null, idleMs: null },
      retry: { limit: 1, httpStatuses: [[503, 503]], grpcCodes: [], perAttemptTimeoutMs: null },
      fault: null,
    };
    expect(compile(BASE, svc).services[REVIEWS]?.outbound).toEqual({
      routes: [expected],
      accrual: { kind: 'consecutive', maxFailures: 3, minPenaltyMs: 1_000, maxPenaltyMs: 60_000, jitter: 0.2 },
    });
    // The defaults of the mode, each overridable.
    const penalties = service('reviews', {
      'balancer.meshviz.io/failure-accrual': 'consecutive',
      'balancer.meshviz.io/failure-accrual-consecutive-min-penalty': '500ms',
      'balancer.meshviz.io/failure-accrual-consecutive-max-penalty': '2m',
    });
    expect(compile(BASE, penalties).services[REVIEWS]?.outbound?.accrual).toEqual({
      kind: 'consecutive',
      maxFailures: 7,
      minPenaltyMs: 500,
      maxPenaltyMs: 120_000,
      jitter: 0.5,
    });
    // A Service document with other annotations only asks for nothing outbound.
    expect(compile(BASE, service('reviews', { 'example.com/owner': 'books' })).services[REVIEWS]).toEqual(BASE.services[REVIEWS]);
  });

  it('orders matches as inbound routes are ordered, one compiled route per run of a rule', () => {
    const items = route(
      'items',
      {},
      `${TO_CATALOG}
  rules:
    - matches: [{ path: { type: Exact, value: /items } }, { path: { type: PathPrefix, value: /items/ } }]
      backendRefs: [{ name: catalog-v2 }]
    - matches: [{ path: { type: PathPrefix, value: /items/special/ }, method: GET }]`,
    );
    const all = route('all', {}, TO_CATALOG);
    const grpc = route('rpc', {}, `${TO_CATALOG}\n  rules: [{}]`, 'GRPCRoute');
    const routes = compile(BASE, items, all, grpc).services[CATALOG]!.outbound!.routes;
    expect(routes.map((r) => [r.kind, r.name, r.matches.map((m) => m.path?.value ?? 'grpc'), r.backends[0]?.authority])).toEqual([
      ['GRPCRoute', 'rpc', ['grpc'], CATALOG],
      ['HTTPRoute', 'items', ['/items'], CANARY],
      ['HTTPRoute', 'items', ['/items/special/'], CATALOG],
      ['HTTPRoute', 'items', ['/items/'], CANARY],
      ['HTTPRoute', 'all', ['/'], CATALOG],
    ]);
  });

  it('attaches a route with a port to that port of the Service, and resolves backends by port', () => {
    const base: DestinationsFile = demoDestinations(
      { namespace: 'bookshop', service: 'search', authority: 'search.bookshop.svc.cluster.local:8080' },
      { namespace: 'bookshop', service: 'search', authority: 'search.bookshop.svc.cluster.local:9090' },
    );
    const text = route(
      'search-admin',
      {},
      `  parentRefs: [{ group: core, kind: Service, name: search, port: 8080 }]
  rules:
    - backendRefs: [{ name: search, port: 9090 }]`,
    );
    const out = compile(base, text);
    expect(out.services['search.bookshop.svc.cluster.local:8080']?.outbound?.routes[0]?.backends).toEqual([
      { authority: 'search.bookshop.svc.cluster.local:9090', weight: 1 },
    ]);
    expect(out.services['search.bookshop.svc.cluster.local:9090']?.outbound).toBeUndefined();
  });

  it("replaces an outbound already in the base, and throws on a backend discovery lacks when the loader was not told", () => {
    const base = structuredClone(BASE);
    base.services[REVIEWS]!.outbound = compile(BASE, service('reviews', { 'retry.meshviz.io/http': '5xx' })).services[REVIEWS]!.outbound!;
    expect(compileOutbound([], base)).toEqual(BASE);

    const missing = route('to-nowhere', {}, `${TO_CATALOG}\n  rules: [{ backendRefs: [{ name: catalog-v3 }] }]`);
    expect(() => compileOutbound(loadTexts(missing), BASE)).toThrow(
      new PolicyCompileError('HTTPRoute bookshop/to-nowhere: spec.rules.0.backendRefs.0.name: Service bookshop/catalog-v3 is not in discovery'),
    );
  });
});
