import { AUTHZ_LABEL, CLUSTER_DOMAIN, IDENTITY_LABEL, LABEL, TARGET_LABEL } from '@meshviz/mesh-types';
import {
  edgeLatencyBuckets,
  edgeResponseRates,
  type Matcher,
  serviceRetryRates,
  statsLatencyBuckets,
  statsMeshedPods,
  statsResponseRates,
  workloadDenialRates,
  workloadIdentities,
} from '@meshviz/promql';
import type { PrometheusClient, Sample } from '../prometheus/client.js';
import { Histograms, histogramsBy } from '../rates/latency.js';
import { keyOf, ratesBy } from '../rates/response-rates.js';
import { fetchSplitSamples, SPLIT_QUERY_COUNT } from './split-samples.js';
import type { ConfiguredSplitSample, SplitSample } from './splits.js';

/** Raw rates of one group; numbers straight from Prometheus (NaN and missing become null later). */
export interface Rates {
  rps: number | null;
  success: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface Ref {
  namespace: string;
  name: string;
}

export interface WorkloadSample extends Ref, Rates {
  meshedPods: number;
}

export interface EdgeSample extends Rates {
  from: Ref;
  to: Ref;
  tls: number | null;
  noTlsReasons: string[];
  /** Of a client → service hop: the workloads that answered the client through the service. */
  servers?: Ref[];
}

/** Retries per second of a service: attempts its callers' proxies sent beyond the requests they were given. */
export interface ServiceRetries {
  service: Ref;
  rps: number;
}

/** The mTLS identity a workload's proxies hold. */
export interface WorkloadIdentity extends Ref {
  identity: string;
}

/** Requests and connections per second a server workload's proxies refused from one client identity. */
export interface WorkloadDenial extends Ref {
  /** "" for clients without mTLS, "other" for identities past the proxies' limit per server. */
  clientId: string;
  rps: number;
}

/** What the topology is built from: JSON-serialisable, so each pipeline step is tested against golden files. */
export interface TrafficSamples {
  workloads: WorkloadSample[];
  clientService: EdgeSample[];
  serviceWorkload: EdgeSample[];
  retries: ServiceRetries[];
  /** Absent or empty when the mesh runs without identity (or the store lacks the series). */
  identities?: WorkloadIdentity[];
  /** Absent or empty when nothing was refused (or the store lacks the authz series). */
  denials?: WorkloadDenial[];
  /** What split services sent each backend; absent or empty when no route has backends' series. */
  splits?: SplitSample[];
  /** The configured weights of split services (from the discovery table); absent or empty when not known. */
  configuredSplits?: ConfiguredSplitSample[];
}

/** Which traffic a topology covers. */
export interface TrafficScope {
  window: string;
  /** Workloads whose own (inbound) numbers are read: any of these matcher sets on namespace and deployment; all when empty. */
  workloads: Matcher[][];
  /** Edges read: any of these matcher sets on the edge labels (EDGE_LABELS); all when empty. */
  edges: Matcher[][];
  /**
   * Services all of whose callers the edge sets take in. Only their service → workload edges are whole; those of
   * other services would count only some callers, so they are left out.
   */
  wholeService: (service: Ref) => boolean;
  /** Retries are read for the services of this namespace (those in front of its workloads), or of all when null. */
  retriesIn: string | null;
  /** Refusals read: any of these matcher sets on namespace, deployment and client_id; all when empty. */
  denials: Matcher[][];
  /** Splits are read for the services of this namespace (their parent_namespace), or of all when null. */
  splitsIn: string | null;
}

/**
 * PromQL queries per topology call of the scope, whatever the mesh size: 3 for the workloads, 1 for retries, 1 for
 * the workloads' identities, 2 for the splits, and one query per matcher set for the edge rates, the edge buckets
 * and the refusals (the whole mesh is one set, a namespace two: edges from it and edges into it, see
 * fetchEdgeRates; refusals by its workloads and refusals of its clients, see denialsTouching).
 */
export function trafficQueryCount(scope: Pick<TrafficScope, 'edges' | 'denials'>): number {
  return 5 + SPLIT_QUERY_COUNT + 2 * Math.max(1, scope.edges.length) + Math.max(1, scope.denials.length);
}

const num = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

/** Inbound numbers and meshed pods of the workloads the matcher sets select; three queries. */
export async function fetchWorkloadSamples(
  prom: PrometheusClient,
  anyOf: Matcher[][],
  window: string,
  at: Date,
): Promise<WorkloadSample[]> {
  const scope = { groupBy: 'deployment', namespace: null, window, anyOf } as const;
  const podsQuery = statsMeshedPods(scope);
  const [pods, rates, buckets] = await Promise.all([
    prom.instant(podsQuery, at),
    prom.instant(statsResponseRates(scope), at),
    prom.instant(statsLatencyBuckets(scope), at),
  ]);
  // Keyed by what the pod count keeps (namespace, deployment), the same labels the rates and buckets keep.
  const workloadKey = keyOf(podsQuery.by);
  const podsBy = new Map(pods.map((s) => [workloadKey(s.labels), s.value]));
  const ratesByKey = ratesBy(rates, workloadKey);
  const latency = histogramsBy(buckets, workloadKey);
  const out: WorkloadSample[] = [];
  for (const key of new Set([...podsBy.keys(), ...ratesByKey.keys()])) {
    const [namespace = '', name = ''] = key.split('\u0000');
    if (!name) continue;
    const r = ratesByKey.get(key);
    const l = latency.latency(key);
    out.push({
      namespace,
      name,
      meshedPods: num(podsBy.get(key)) ?? 0,
      rps: num(r?.total),
      success: num(r?.success),
      ...l,
    });
  }
  return out;
}

/**
 * The answers of one query per matcher set, asked together and merged as PromQL's `or` would merge them. Prometheus
 * evaluates a query on one core, and an `or` of two selections also pays for matching their answers against each
 * other: two queries side by side answer in about half the time of their `or` (measured on the benchmark's mesh
 * of 500 workloads: the edge buckets of one namespace, p50 161 ms split against 323 ms joined).
 */
async function eachSet(anyOf: Matcher[][], fetch: (anyOf: Matcher[][]) => Promise<Sample[]>): Promise<Sample[]> {
  if (anyOf.length <= 1) return fetch(anyOf);
  return mergeGroups(...(await Promise.all(anyOf.map((set) => fetch([set])))));
}

/** The edge rate samples of the matcher sets (every edge when none), one query per set. */
export function fetchEdgeRates(prom: PrometheusClient, anyOf: Matcher[][], window: string, at: Date): Promise<Sample[]> {
  return eachSet(anyOf, (sets) => prom.instant(edgeResponseRates({ window, anyOf: sets }), at));
}

/** The edge latency buckets of the matcher sets (every edge when none), one query per set. */
export function fetchEdgeBuckets(prom: PrometheusClient, anyOf: Matcher[][], window: string, at: Date): Promise<Sample[]> {
  return eachSet(anyOf, (sets) => prom.instant(edgeLatencyBuckets({ window, anyOf: sets }), at));
}

/** Answers of queries whose selections overlap, each group once (at one evaluation time their values agree). */
export function mergeGroups(...answers: Sample[][]): Sample[] {
  const seen = new Set<string>();
  const out: Sample[] = [];
  for (const answer of answers) {
    for (const s of answer) {
      const key = Object.keys(s.labels)
        .sort()
        .map((k) => `${k}=${s.labels[k]}`)
        .join('\u0000');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(s);
    }
  }
  return out;
}

interface HopTotals {
  from: Ref;
  to: Ref;
  rps: number;
  success: number;
  tls: number;
  reasons: Set<string>;
  servers: Map<string, Ref>;
}

/**
 * Folds edge groups (client workload, service, server workload) into the two hops of the graph: client → service
 * (summed over server workloads) and service → server workload (summed over clients). Latency quantiles come
 * from the buckets summed the same way. Groups without a client or a service name (unmeshed destinations, no
 * discovery labels) cannot be placed on the graph.
 */
export function edgeSamples(
  rates: readonly Sample[],
  buckets: readonly Sample[],
  wholeService: (service: Ref) => boolean,
): Pick<TrafficSamples, 'clientService' | 'serviceWorkload'> {
  const hops = { clientService: new Map<string, HopTotals>(), serviceWorkload: new Map<string, HopTotals>() };
  const latency = { clientService: new Histograms(), serviceWorkload: new Histograms() };
  const place = (l: Record<string, string>) => {
    const client = { namespace: l.namespace ?? '', name: l.deployment ?? '' };
    const service = { namespace: l.dst_namespace ?? '', name: l.dst_service ?? '' };
    const server = { namespace: l.dst_namespace ?? '', name: l.dst_deployment ?? '' };
    const out: Array<['clientService' | 'serviceWorkload', Ref, Ref]> = [];
    if (client.name && service.name) out.push(['clientService', client, service]);
    if (service.name && server.name && wholeService(service)) out.push(['serviceWorkload', service, server]);
    return out;
  };
  const refKey = (from: Ref, to: Ref) => `${from.namespace}\u0000${from.name}\u0000${to.namespace}\u0000${to.name}`;

  for (const s of rates) {
    for (const [hop, from, to] of place(s.labels)) {
      const key = refKey(from, to);
      let t = hops[hop].get(key);
      if (!t) {
        t = { from, to, rps: 0, success: 0, tls: 0, reasons: new Set(), servers: new Map() };
        hops[hop].set(key, t);
      }
      const server = { namespace: s.labels.dst_namespace ?? '', name: s.labels.dst_deployment ?? '' };
      if (hop === 'clientService' && server.name) t.servers.set(`${server.namespace}/${server.name}`, server);
      t.rps += s.value;
      if (s.labels[LABEL.classification] === 'success') t.success += s.value;
      if (s.labels[LABEL.tls] === 'true') t.tls += s.value;
      else {
        // Only reasons that applied to traffic in the window.
        const reason = s.labels[LABEL.noTlsReason];
        if (reason && s.value > 0) t.reasons.add(reason);
      }
    }
  }
  for (const s of buckets) {
    for (const [hop, from, to] of place(s.labels)) latency[hop].add(refKey(from, to), s);
  }
  const samples = (hop: 'clientService' | 'serviceWorkload'): EdgeSample[] =>
    [...hops[hop]].map(([key, t]) => ({
      from: t.from,
      to: t.to,
      rps: num(t.rps),
      success: num(t.success),
      tls: num(t.tls),
      noTlsReasons: [...t.reasons].sort(),
      ...latency[hop].latency(key),
      ...(hop === 'clientService' ? { servers: [...t.servers.keys()].sort().map((k) => t.servers.get(k)!) } : {}),
    }));
  return { clientService: samples('clientService'), serviceWorkload: samples('serviceWorkload') };
}

const SERVICE_AUTHORITY = new RegExp(`^([a-z0-9-]+)\\.([a-z0-9-]+)\\.${CLUSTER_DOMAIN.replaceAll('.', '\\.')}(:[0-9]+)?$`);

/** Retries per service of the namespace (all when null); authorities that are not service names are left out. */
export async function fetchRetries(
  prom: PrometheusClient,
  namespace: string | null,
  window: string,
  at: Date,
): Promise<ServiceRetries[]> {
  const samples = await prom.instant(serviceRetryRates({ window, namespace }), at);
  const out: ServiceRetries[] = [];
  for (const s of samples) {
    const m = SERVICE_AUTHORITY.exec(s.labels.dst ?? '');
    if (m?.[1] && m[2] && Number.isFinite(s.value) && s.value > 0) {
      out.push({ service: { namespace: m[2], name: m[1] }, rps: s.value });
    }
  }
  return out;
}

/** Everything a topology of the scope needs, in queries issued together (trafficQueryCount). */
export async function fetchTrafficSamples(prom: PrometheusClient, scope: TrafficScope, at: Date): Promise<TrafficSamples> {
  const [workloads, rates, buckets, retries, identities, denials, splits] = await Promise.all([
    fetchWorkloadSamples(prom, scope.workloads, scope.window, at),
    fetchEdgeRates(prom, scope.edges, scope.window, at),
    fetchEdgeBuckets(prom, scope.edges, scope.window, at),
    fetchRetries(prom, scope.retriesIn, scope.window, at),
    fetchIdentities(prom, at),
    fetchDenials(prom, scope.denials, scope.window, at),
    fetchSplitSamples(prom, scope.splitsIn, scope.window, at),
  ]);
  return { workloads, ...edgeSamples(rates, buckets, scope.wholeService), retries, identities, denials, splits };
}

/**
 * Requests and connections each server workload's proxies refused per second, by client identity (refusals in the
 * window only), one query per matcher set. Like identities they add to the graph without changing its numbers,
 * so a store without the authz series (a mesh without policy, an older recording) leaves them out instead of
 * failing the call.
 */
export async function fetchDenials(prom: PrometheusClient, anyOf: Matcher[][], window: string, at: Date): Promise<WorkloadDenial[]> {
  // Each query tolerated on its own, so none is left in flight when the call answers.
  const samples = await eachSet(anyOf, (sets) => prom.instant(workloadDenialRates({ window, anyOf: sets }), at).catch(() => []));
  return samples
    .map((s) => ({
      namespace: s.labels[TARGET_LABEL.namespace] ?? '',
      name: s.labels[TARGET_LABEL.deployment] ?? '',
      clientId: s.labels[AUTHZ_LABEL.clientId] ?? '',
      rps: s.value,
    }))
    .filter((d) => d.namespace && d.name && Number.isFinite(d.rps) && d.rps > 0)
    .sort((a, b) => `${a.namespace}/${a.name}/${a.clientId}`.localeCompare(`${b.namespace}/${b.name}/${b.clientId}`));
}

/**
 * The identity of every workload's proxies. Identities label the graph and do not change its numbers, so a store
 * that cannot answer (an older recording, a store without the series) leaves them out instead of failing the call.
 */
export async function fetchIdentities(prom: PrometheusClient, at: Date, matchers: Matcher[] = []): Promise<WorkloadIdentity[]> {
  const samples = await prom.instant(workloadIdentities(matchers), at).catch(() => []);
  return samples
    .map((s) => ({
      namespace: s.labels[TARGET_LABEL.namespace] ?? '',
      name: s.labels[TARGET_LABEL.deployment] ?? '',
      identity: s.labels[IDENTITY_LABEL.identity] ?? '',
    }))
    .filter((w) => w.namespace && w.name && w.identity)
    .sort((a, b) => `${a.namespace}/${a.name}/${a.identity}`.localeCompare(`${b.namespace}/${b.name}/${b.identity}`));
}
