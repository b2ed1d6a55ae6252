import { AUTHZ_LABEL, AUTHZ_METRIC, IDENTITY_LABEL, IDENTITY_METRIC, LABEL, LATENCY_BUCKETS_MS, METRIC } from '@meshviz/mesh-types';
import type { SyntheticSeries } from './synthetic-prometheus.js';

/**
 * A small mesh under authorization policy, described by hand (constructed, not recorded: no proxy emits the authz
 * families yet). Per-second rates over the window, split evenly over each workload's pods, as its proxies would
 * count them with the labels of the contract (packages/mesh-types, policy.ts and metrics.ts):
 *
 * - shop/api (2 pods): Server `api-http` (port 8080) with HTTPRoutes `items-get` (AuthorizationPolicy
 *   `items-readers`: web and batch) and `items-post` (`items-writers`: web only). web sends 8 GET/s (2 % fail with
 *   503) and 2 POST/s; batch (namespace jobs) 1 GET/s and 0.5 POST/s, refused (403); a client without mTLS 0.25
 *   GET/s, refused; 0.01/s from identities past the proxies' per-server limit ("other"). Port 8081 has no Server:
 *   its default policy (all-unauthenticated) lets kubelet probes in (0.2/s), and its `default` route was idle.
 * - shop/cache (1 pod): Server `cache-redis` (6379, opaque) lets api in (0.4 connections/s) and refuses batch
 *   (0.05/s); port 9121 has no Server and the workload's default policy is audit: 0.2 scrapes/s without mTLS,
 *   let in and counted as what a deny would have refused.
 * - shop/web (2 pods) and jobs/batch (1 pod) only call.
 */
export const TRUST_DOMAIN = 'cluster.local';
export const identityOf = (sa: string, ns: string) => `${sa}.${ns}.serviceaccount.identity.meshviz.${TRUST_DOMAIN}`;

interface Workload {
  namespace: string;
  name: string;
  pods: string[];
}
const web: Workload = { namespace: 'shop', name: 'web', pods: ['web-0', 'web-1'] };
const api: Workload = { namespace: 'shop', name: 'api', pods: ['api-0', 'api-1'] };
const cache: Workload = { namespace: 'shop', name: 'cache', pods: ['cache-0'] };
const batch: Workload = { namespace: 'jobs', name: 'batch', pods: ['batch-0'] };
const WORKLOADS = [web, api, cache, batch];

type Server = [kind: string, name: string, port: string];
type Pair = [kind: string, name: string];
/** Latency: share of requests at each duration (ms). */
type Latency = Record<number, number>;

interface Http {
  client: Workload | 'unmeshed';
  server: Workload;
  srv: Server;
  route: Pair;
  /** null: refused (403 from the server's proxy). */
  authz: Pair | null;
  rps: number;
  failing?: number;
  latency: Latency;
  /** The client's mTLS identity; absent without mTLS. */
  clientId?: string;
  /** The client_id of a refusal, when not the identity (past the proxy's limit of identities per server). */
  refusedAs?: string;
}

const API_HTTP: Server = ['server', 'api-http', '8080'];
const API_DEFAULT: Server = ['default', 'all-unauthenticated', '8081'];
const GET: Pair = ['HTTPRoute', 'items-get'];
const POST: Pair = ['HTTPRoute', 'items-post'];
const READERS: Pair = ['authorizationpolicy', 'items-readers'];
const WRITERS: Pair = ['authorizationpolicy', 'items-writers'];
const REFUSED: Latency = { 0.3: 1 };
const READ: Latency = { 2: 0.3, 4: 0.25, 8: 0.3, 18: 0.1, 35: 0.04, 80: 0.01 };
const WRITE: Latency = { 10: 0.5, 25: 0.4, 60: 0.1 };

const HTTP: Http[] = [
  { client: web, server: api, srv: API_HTTP, route: GET, authz: READERS, rps: 8, failing: 0.02, latency: READ, clientId: identityOf('web', 'shop') },
  { client: web, server: api, srv: API_HTTP, route: POST, authz: WRITERS, rps: 2, latency: WRITE, clientId: identityOf('web', 'shop') },
  { client: batch, server: api, srv: API_HTTP, route: GET, authz: READERS, rps: 1, latency: READ, clientId: identityOf('batch', 'jobs') },
  { client: batch, server: api, srv: API_HTTP, route: POST, authz: null, rps: 0.5, latency: REFUSED, clientId: identityOf('batch', 'jobs') },
  { client: 'unmeshed', server: api, srv: API_HTTP, route: GET, authz: null, rps: 0.25, latency: REFUSED },
  { client: 'unmeshed', server: api, srv: API_HTTP, route: GET, authz: null, rps: 0.01, latency: REFUSED, clientId: identityOf('crawler', 'ext'), refusedAs: 'other' },
  { client: 'unmeshed', server: api, srv: API_DEFAULT, route: ['default', 'probe'], authz: ['default', 'default:probe'], rps: 0.2, latency: { 0.8: 1 } },
  { client: 'unmeshed', server: api, srv: API_DEFAULT, route: ['default', 'default'], authz: ['default', 'default:all-unauthenticated'], rps: 0, latency: READ },
  { client: 'unmeshed', server: cache, srv: ['default', 'audit', '9121'], route: ['default', 'default'], authz: ['audit', 'audit'], rps: 0.2, latency: { 3: 1 } },
];

interface Tcp {
  server: Workload;
  srv: Server;
  authz: Pair | null;
  cps: number;
  clientId: string;
}
const CACHE_REDIS: Server = ['server', 'cache-redis', '6379'];
const TCP: Tcp[] = [
  { server: cache, srv: CACHE_REDIS, authz: ['authorizationpolicy', 'cache-clients'], cps: 0.4, clientId: identityOf('api', 'shop') },
  { server: cache, srv: CACHE_REDIS, authz: null, cps: 0.05, clientId: identityOf('batch', 'jobs') },
];

const BOUNDS = [...LATENCY_BUCKETS_MS.map(String), '+Inf'];

/** Every series of the mesh; equal label sets add up, as one proxy's counter would. */
export function policyMeshSeries(): SyntheticSeries[] {
  const all = new Map<string, SyntheticSeries>();
  const add = (metric: string, labels: Record<string, string>, value: number) => {
    const l = { __name__: metric, ...labels };
    const k = JSON.stringify(Object.entries(l).sort());
    const s = all.get(k);
    if (s) s.value += value;
    else all.set(k, { labels: l, value });
  };
  /** One series per pod of `w`, the rate split evenly. */
  const perPod = (w: Workload, metric: string, labels: Record<string, string>, value: number) => {
    for (const pod of w.pods) add(metric, { namespace: w.namespace, deployment: w.name, pod, ...labels }, value / w.pods.length);
  };
  const histogram = (w: Workload, labels: Record<string, string>, rps: number, latency: Latency) => {
    for (const le of BOUNDS) {
      const share = Object.entries(latency).reduce((a, [ms, s]) => (le === '+Inf' || Number(ms) <= Number(le) ? a + s : a), 0);
      perPod(w, `${METRIC.responseLatencyMs}_bucket`, { ...labels, le }, rps * share);
    }
  };

  for (const w of WORKLOADS) {
    for (const pod of w.pods) {
      const labels = { namespace: w.namespace, deployment: w.name, pod };
      add(METRIC.proxyBuildInfo, { ...labels, version: '0.1.0' }, 1);
      add(IDENTITY_METRIC.certInfo, { ...labels, [IDENTITY_LABEL.identity]: identityOf(w.name, w.namespace), issuer_sha256: 'c0ffee' }, 1);
    }
  }
  for (const h of HTTP) {
    const tls: Record<string, string> = h.clientId ? { tls: 'true' } : { tls: 'no_identity', no_tls_reason: 'no_tls_from_remote' };
    const srv = { srv_kind: h.srv[0], srv_name: h.srv[1], srv_port: h.srv[2] };
    const route = { route_kind: h.route[0], route_name: h.route[1] };
    const authz = { authz_kind: h.authz?.[0] ?? '', authz_name: h.authz?.[1] ?? '' };
    const status = h.authz === null ? '403' : h.route[1] === 'items-post' ? '201' : '200';
    const failing = h.failing ?? 0;
    const inbound: Record<string, string> = { direction: 'inbound', ...tls, ...srv, ...route, ...authz };
    if (h.clientId) inbound[LABEL.clientId] = h.clientId;
    perPod(h.server, METRIC.responseTotal, { ...inbound, status_code: status, classification: 'success' }, h.rps * (1 - failing));
    if (failing > 0) perPod(h.server, METRIC.responseTotal, { ...inbound, status_code: '503', classification: 'failure' }, h.rps * failing);
    histogram(h.server, { ...inbound, status_code: status }, h.rps, h.latency);
    if (h.authz) perPod(h.server, AUTHZ_METRIC.httpAllow, { direction: 'inbound', ...srv, ...route, ...authz, ...tls }, h.rps);
    else perPod(h.server, AUTHZ_METRIC.httpDeny, { ...srv, ...route, [AUTHZ_LABEL.clientId]: h.refusedAs ?? h.clientId ?? '', ...tls }, h.rps);
    if (h.client === 'unmeshed') continue;
    // The client's proxy saw the same responses, half a millisecond later.
    const outbound = {
      direction: 'outbound',
      authority: `${h.server.name}.${h.server.namespace}.svc.cluster.local:${h.srv[2]}`,
      dst_namespace: h.server.namespace,
      dst_service: h.server.name,
      dst_deployment: h.server.name,
      tls: 'true',
      [LABEL.serverId]: identityOf(h.server.name, h.server.namespace),
    };
    perPod(h.client, METRIC.responseTotal, { ...outbound, status_code: status, classification: 'success' }, h.rps * (1 - failing));
    if (failing > 0) perPod(h.client, METRIC.responseTotal, { ...outbound, status_code: '503', classification: 'failure' }, h.rps * failing);
    const later = Object.fromEntries(Object.entries(h.latency).map(([ms, s]) => [Number(ms) + 0.5, s]));
    histogram(h.client, { ...outbound, status_code: status }, h.rps, later);
  }
  for (const t of TCP) {
    const srv = { srv_kind: t.srv[0], srv_name: t.srv[1], srv_port: t.srv[2], tls: 'true' };
    if (t.authz) perPod(t.server, AUTHZ_METRIC.tcpAllow, { ...srv, authz_kind: t.authz[0], authz_name: t.authz[1] }, t.cps);
    else perPod(t.server, AUTHZ_METRIC.tcpDeny, { ...srv, [AUTHZ_LABEL.clientId]: t.clientId }, t.cps);
  }
  return [...all.values()];
}

/** The evaluation time of the constructed answers. */
export const POLICY_MESH_AT = 1796000000;

/** The API calls whose queries the fixture answers (construct-policy-mesh.ts). */
export const POLICY_MESH_CALLS = [
  ...['deployment&namespace=shop&name=api', 'deployment&namespace=shop&name=cache', 'pod&namespace=shop&name=api-0', 'deployment&namespace=shop&name=web'].map(
    (q) => `/api/v1/authz?kind=${q}&window=1m&at=${POLICY_MESH_AT}`,
  ),
  ...['all', 'shop', 'jobs'].map((ns) => `/api/v1/topology?namespace=${ns}&window=1m&at=${POLICY_MESH_AT}`),
  ...['jobs/batch', 'shop/api', 'shop/web'].map((w) => `/api/v1/workloads/${w}?window=1m&at=${POLICY_MESH_AT}`),
  `/api/v1/services/shop/api?window=1m&at=${POLICY_MESH_AT}`,
];
