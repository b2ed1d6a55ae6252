import {
  type DestinationsFile,
  IDENTITY_LABEL,
  IDENTITY_METRIC,
  LATENCY_BUCKETS_MS,
  METRIC,
  OUTBOUND_METRIC,
  serviceAuthority,
} from '@meshviz/mesh-types';
import type { SyntheticSeries } from './synthetic-prometheus.js';

/**
 * A small mesh with outbound reliability at work, described by hand (constructed, not recorded: no proxy emits the
 * outbound_http_* families yet), as its proxies would count it per the contract (packages/mesh-types: outbound.ts,
 * metrics.ts). Per-second rates over the window, split evenly over each workload's pods.
 *
 * - bookshop/web (web-0, web-1) sends 10 GET /books a second to catalog and 5 GET /reviews to reviews.
 * - catalog (catalog-0, catalog-1): catalog-1 fails one attempt in five (503). The route retries 5xx twice: of the
 *   10 requests, 1 fails its first attempt; 0.99 are retried (0.01 found the retry budget spent: overflow), 0.15
 *   fail again and are retried once more, 0.02 fail a third time (limit exceeded). 11.14 attempts on the wire,
 *   1.17 of them failing (actual success ≈ 89.5 %); 9.97 requests succeed (effective 99.7 %). The breaker tripped
 *   catalog-1 three times in the window; web-1's balancer holds it pending now.
 * - reviews: its route GET /reviews splits 90/10 between reviews and reviews-v2 and times out after 500 ms. reviews
 *   answers 4.5 a second (one in ten 500), reviews-v2 0.5, of which 0.05 time out (504 REQUEST_TIMEOUT). The
 *   callers' proxies label a backend's requests with the backend's Service (dst_service="reviews-v2").
 */
interface Workload {
  namespace: string;
  name: string;
  pods: string[];
  addrs: string[];
}
const NS = 'bookshop';
const web: Workload = { namespace: NS, name: 'web', pods: ['web-0', 'web-1'], addrs: ['10.0.0.1:4143', '10.0.0.2:4143'] };
const catalog: Workload = { namespace: NS, name: 'catalog', pods: ['catalog-0', 'catalog-1'], addrs: ['10.0.0.11:4143', '10.0.0.12:4143'] };
const reviews: Workload = { namespace: NS, name: 'reviews', pods: ['reviews-0'], addrs: ['10.0.0.21:4143'] };
const reviewsV2: Workload = { namespace: NS, name: 'reviews-v2', pods: ['reviews-v2-0'], addrs: ['10.0.0.31:4143'] };
const WORKLOADS = [web, catalog, reviews, reviewsV2];

export const identityOf = (sa: string) => `${sa}.${NS}.serviceaccount.identity.meshviz.cluster.local`;
const authority = (w: Workload) => serviceAuthority(w.name, w.namespace);

/** The discovery table the control plane would compile for this mesh (the API's API_DESTINATIONS_FILE). */
export const OUTBOUND_MESH_DESTINATIONS: DestinationsFile = {
  services: {
    ...Object.fromEntries(
      WORKLOADS.map((w) => [
        authority(w),
        {
          namespace: w.namespace,
          service: w.name,
          endpoints: w.pods.map((pod, i) => ({ addr: w.addrs[i]!, namespace: w.namespace, deployment: w.name, pod, identity: identityOf(w.name) })),
        },
      ]),
    ),
  },
};
const GET = (path: string) => ({ path: { type: 'Exact' as const, value: path }, method: 'GET', headers: [] });
OUTBOUND_MESH_DESTINATIONS.services[authority(catalog)]!.outbound = {
  routes: [
    {
      kind: 'HTTPRoute',
      name: 'GET /books',
      matches: [GET('/books')],
      backends: [{ authority: authority(catalog), weight: 1 }],
      timeouts: { requestMs: null, responseMs: 1000, idleMs: null },
      retry: { limit: 2, httpStatuses: [[500, 599]], grpcCodes: [], perAttemptTimeoutMs: 300 },
      fault: null,
    },
  ],
  accrual: { kind: 'consecutive', maxFailures: 7, minPenaltyMs: 1000, maxPenaltyMs: 60_000, jitter: 0.5 },
};
OUTBOUND_MESH_DESTINATIONS.services[authority(reviews)]!.outbound = {
  routes: [
    {
      kind: 'HTTPRoute',
      name: 'GET /reviews',
      matches: [GET('/reviews')],
      backends: [
        { authority: authority(reviews), weight: 90 },
        { authority: authority(reviewsV2), weight: 10 },
      ],
      timeouts: { requestMs: 500, responseMs: null, idleMs: null },
      retry: null,
      fault: null,
    },
    {
      // Configured, and not called in the window.
      kind: 'HTTPRoute',
      name: 'POST /reviews',
      matches: [{ path: { type: 'Exact', value: '/reviews' }, method: 'POST', headers: [] }],
      backends: [{ authority: authority(reviews), weight: 1 }],
      timeouts: { requestMs: null, responseMs: null, idleMs: 10_000 },
      retry: null,
      fault: { abort: { share: 0.1, status: 503 }, delay: null },
    },
  ],
  accrual: { kind: 'none', maxFailures: 7, minPenaltyMs: 1000, maxPenaltyMs: 60_000, jitter: 0.5 },
};

/** Latency: share of requests at each duration (ms). */
type Latency = Record<number, number>;
const FAST: Latency = { 2: 0.5, 4: 0.4, 9: 0.1 };
const SLOW: Latency = { 5: 0.6, 40: 0.3, 300: 0.1 };
const BOUNDS = [...LATENCY_BUCKETS_MS.map(String), '+Inf'];

/** Outcomes per second by status ("" and an error for an answer the proxy gave itself). */
interface Outcome {
  status: string;
  error?: string;
  rps: number;
}

/** What web's proxies sent one backend workload on a route: requests and attempts with their outcomes. */
interface Hop {
  server: Workload;
  /** The Service the caller addressed (the route's parent) and the one whose endpoints served it. */
  parent: Workload;
  route: string;
  /** Final outcomes, as the caller saw them. */
  effective: Outcome[];
  /** Every attempt on the wire. */
  attempts: Outcome[];
  latency: Latency;
}

const HOPS: Hop[] = [
  {
    server: catalog,
    parent: catalog,
    route: 'GET /books',
    effective: [
      { status: '200', rps: 9.97 },
      { status: '503', rps: 0.03 },
    ],
    attempts: [
      { status: '200', rps: 9.97 },
      { status: '503', rps: 1.17 },
    ],
    latency: FAST,
  },
  {
    server: reviews,
    parent: reviews,
    route: 'GET /reviews',
    effective: [
      { status: '200', rps: 4.05 },
      { status: '500', rps: 0.45 },
    ],
    attempts: [
      { status: '200', rps: 4.05 },
      { status: '500', rps: 0.45 },
    ],
    latency: FAST,
  },
  {
    server: reviewsV2,
    parent: reviews,
    route: 'GET /reviews',
    effective: [
      { status: '200', rps: 0.45 },
      { status: '504', error: 'REQUEST_TIMEOUT', rps: 0.05 },
    ],
    attempts: [
      { status: '200', rps: 0.45 },
      { status: '504', error: 'REQUEST_TIMEOUT', rps: 0.05 },
    ],
    latency: SLOW,
  },
];

const failed = (o: Outcome) => o.error !== undefined || Number(o.status) >= 500;
const total = (os: readonly Outcome[]) => os.reduce((a, o) => a + o.rps, 0);

/** Every series of the mesh; equal label sets add up, as one proxy's counter would. */
export function outboundMeshSeries(): SyntheticSeries[] {
  const all = new Map<string, SyntheticSeries>();
  const add = (metric: string, labels: Record<string, string>, value: number) => {
    const l = { __name__: metric, ...labels };
    const k = JSON.stringify(Object.entries(l).sort());
    const s = all.get(k);
    if (s) s.value += value;
    else all.set(k, { labels: l, value });
  };
  const perPod = (w: Workload, metric: string, labels: Record<string, string>, value: number) => {
    for (const pod of w.pods) add(metric, { namespace: w.namespace, deployment: w.name, pod, ...labels }, value / w.pods.length);
  };
  const histogram = (w: Workload, metric: string, labels: Record<string, string>, rps: number, latency: Latency) => {
    for (const le of BOUNDS) {
      const share = Object.entries(latency).reduce((a, [ms, s]) => (le === '+Inf' || Number(ms) <= Number(le) ? a + s : a), 0);
      perPod(w, metric, { ...labels, le }, rps * share);
    }
  };
  const classified = (o: Outcome) => ({ status_code: o.status, classification: failed(o) ? 'failure' : 'success' });

  for (const w of WORKLOADS) {
    for (const pod of w.pods) {
      const labels = { namespace: w.namespace, deployment: w.name, pod };
      add(METRIC.proxyBuildInfo, { ...labels, version: '0.1.0' }, 1);
      add(IDENTITY_METRIC.certInfo, { ...labels, [IDENTITY_LABEL.identity]: identityOf(w.name), issuer_sha256: 'c0ffee' }, 1);
    }
  }

  for (const h of HOPS) {
    // Every attempt reached the server's proxy; the client's proxy saw the final outcome of each request.
    const inbound = { direction: 'inbound', tls: 'true', client_id: identityOf('web') };
    for (const o of h.attempts) perPod(h.server, METRIC.responseTotal, { ...inbound, ...classified(o) }, o.rps);
    histogram(h.server, `${METRIC.responseLatencyMs}_bucket`, { ...inbound, status_code: '200' }, total(h.attempts), h.latency);
    const outbound = {
      direction: 'outbound',
      authority: authority(h.parent),
      dst_namespace: h.server.namespace,
      dst_service: h.server.name,
      dst_deployment: h.server.name,
      tls: 'true',
      server_id: identityOf(h.server.name),
    };
    for (const o of h.effective) {
      perPod(web, METRIC.responseTotal, { ...outbound, ...classified(o), ...(o.error ? { error: o.error.toLowerCase() } : {}) }, o.rps);
    }
    const later = Object.fromEntries(Object.entries(h.latency).map(([ms, s]) => [Number(ms) + 0.5, s]));
    histogram(web, `${METRIC.responseLatencyMs}_bucket`, { ...outbound, status_code: '200' }, total(h.effective), later);

    // Routes: the callers' view (dst = the addressed Service) and the server's.
    const out = { direction: 'outbound', dst: authority(h.parent), rt_route: h.route };
    for (const o of h.effective) perPod(web, METRIC.routeResponseTotal, { ...out, ...classified(o) }, o.rps);
    for (const o of h.attempts) perPod(web, METRIC.routeActualResponseTotal, { ...out, ...classified(o) }, o.rps);
    histogram(web, `${METRIC.routeResponseLatencyMs}_bucket`, { ...out, status_code: '200' }, total(h.effective), later);
    const inn = { direction: 'inbound', dst: `${authority(h.parent)}:8080`, rt_route: h.route };
    for (const o of h.attempts) {
      perPod(h.server, METRIC.routeResponseTotal, { ...inn, ...classified(o) }, o.rps);
      perPod(h.server, METRIC.routeActualResponseTotal, { ...inn, ...classified(o) }, o.rps);
    }
    histogram(h.server, `${METRIC.routeResponseLatencyMs}_bucket`, { ...inn, status_code: '200' }, total(h.attempts), h.latency);

    // The outbound route and backend families, on web's proxies.
    const route = { parent_namespace: NS, parent_name: h.parent.name, route_kind: 'HTTPRoute', route_name: h.route };
    const backend = { ...route, backend_namespace: NS, backend_name: h.server.name };
    for (const o of h.effective) {
      perPod(web, OUTBOUND_METRIC.routeRequestStatuses, { ...route, http_status: o.status, error: o.error ?? '' }, o.rps);
    }
    perPod(web, OUTBOUND_METRIC.routeBackendRequests, backend, total(h.attempts));
    for (const o of h.attempts) {
      perPod(web, OUTBOUND_METRIC.routeBackendResponseStatuses, { ...backend, http_status: o.status, error: o.error ?? '' }, o.rps);
    }
  }

  const books = { parent_namespace: NS, parent_name: 'catalog', route_kind: 'HTTPRoute', route_name: 'GET /books' };
  perPod(web, OUTBOUND_METRIC.retryRequests, books, 1.14);
  perPod(web, OUTBOUND_METRIC.retrySuccesses, books, 0.97);
  perPod(web, OUTBOUND_METRIC.retryLimitExceeded, books, 0.02);
  perPod(web, OUTBOUND_METRIC.retryOverflow, books, 0.01);

  // Each of web's proxies balances over each backend's endpoints; web-1 holds catalog-1 tripped.
  const gauge = (pod: string, parent: Workload, backend: Workload, state: 'ready' | 'pending', n: number) =>
    add(
      OUTBOUND_METRIC.balancerEndpoints,
      { namespace: NS, deployment: 'web', pod, parent_namespace: NS, parent_name: parent.name, backend_namespace: NS, backend_name: backend.name, endpoint_state: state },
      n,
    );
  gauge('web-0', catalog, catalog, 'ready', 2);
  gauge('web-0', catalog, catalog, 'pending', 0);
  gauge('web-1', catalog, catalog, 'ready', 1);
  gauge('web-1', catalog, catalog, 'pending', 1);
  for (const pod of web.pods) {
    for (const b of [reviews, reviewsV2]) {
      gauge(pod, reviews, b, 'ready', 1);
      gauge(pod, reviews, b, 'pending', 0);
    }
  }
  // Three trips of catalog-1 in the minute (two seen by web-1's proxy, one by web-0's), and its closings.
  const transition = (pod: string, state: string, perSecond: number) =>
    add(
      OUTBOUND_METRIC.breakerTransitions,
      { namespace: NS, deployment: 'web', pod, parent_namespace: NS, parent_name: 'catalog', backend_namespace: NS, backend_name: 'catalog', endpoint: catalog.addrs[1]!, state },
      perSecond,
    );
  transition('web-0', 'tripped', 1 / 60);
  transition('web-1', 'tripped', 2 / 60);
  transition('web-0', 'closed', 1 / 60);
  transition('web-1', 'closed', 1 / 60);
  return [...all.values()];
}

/** The evaluation time of the constructed answers. */
export const OUTBOUND_MESH_AT = 1796100000;

/** The API calls whose queries the fixture answers (construct-outbound-mesh.ts). */
export const OUTBOUND_MESH_CALLS = [
  ...['service=catalog', 'service=reviews', 'service=reviews-v2', 'workload=catalog'].map(
    (q) => `/api/v1/routes?namespace=${NS}&${q}&window=1m&at=${OUTBOUND_MESH_AT}`,
  ),
  ...['catalog', 'reviews', 'reviews-v2'].map((s) => `/api/v1/services/${NS}/${s}?window=1m&at=${OUTBOUND_MESH_AT}`),
  ...['all', NS].map((ns) => `/api/v1/topology?namespace=${ns}&window=1m&at=${OUTBOUND_MESH_AT}`),
];
