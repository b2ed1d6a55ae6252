import {
  DEFAULT_HEALTH_THRESHOLDS,
  LABEL,
  parseDurationSeconds,
  type ServiceBackend,
  type ServiceDetailResponse,
  type ServiceSummary,
  serviceAuthority,
  TARGET_LABEL,
} from '@meshviz/mesh-types';
import { oneOf, serviceEdgeLatencyBuckets, serviceEdgeResponseRates } from '@meshviz/promql';
import type { DestinationsSource } from '../../destinations/destinations-file.js';
import type { PrometheusClient, Sample } from '../../prometheus/client.js';
import { histogramsBy } from '../../rates/latency.js';
import { ratesBy } from '../../rates/response-rates.js';
import { nodeId } from '../../topology/graph.js';
import { buildTopology } from '../../topology/pipeline.js';
import {
  edgeSamples,
  fetchDenials,
  fetchIdentities,
  fetchWorkloadSamples,
  type Ref,
  type TrafficSamples,
  type WorkloadDenial,
  type WorkloadIdentity,
  type WorkloadSample,
} from '../../topology/samples.js';
import { configuredSplitSamples } from '../../topology/split-samples.js';
import { neighbour } from '../workloads/workload-detail.js';
import { fetchServiceOutbound, SERVICE_OUTBOUND_QUERY_COUNT } from './outbound.js';

/**
 * Prometheus queries per service detail call, whatever the mesh size: 2 for the service's edges (response rates,
 * latency buckets), then 3 for the own numbers of its callers and backends (meshed pods, response rates, latency
 * buckets), 1 for their identities, 1 for what the backends refused and 4 for its outbound side (the split's
 * backend requests and responses, the balancers' endpoints, breaker trips). A service without series in the
 * window stops after the first 2.
 */
export const SERVICE_DETAIL_QUERY_COUNT = 7 + SERVICE_OUTBOUND_QUERY_COUNT;

const finite = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);
const one = () => '';

/** The service's own numbers: every edge addressed to it, summed, whoever the caller. */
function summary(namespace: string, name: string, rates: readonly Sample[], buckets: readonly Sample[]): ServiceSummary {
  const r = ratesBy(rates, one).get('');
  const tls = rates.filter((s) => s.labels[LABEL.tls] === 'true').reduce((a, s) => a + s.value, 0);
  const rps = r && Number.isFinite(r.total) && r.total > 0 ? r.total : null;
  return {
    namespace,
    name,
    authority: serviceAuthority(name, namespace),
    rps,
    successRate: rps === null ? null : Math.min(1, (finite(r?.success) ?? 0) / rps),
    latencyMs: rps === null ? { p50: null, p95: null, p99: null } : histogramsBy(buckets, one).latency(''),
    mtlsShare: rps === null ? null : Math.min(1, tls / rps),
  };
}

/** Callers and backends named by the service's edge groups, as matcher sets on namespace and deployment. */
function workloadsAround(rates: readonly Sample[]): Ref[] {
  const refs = new Map<string, Ref>();
  for (const { labels: l } of rates) {
    const client = { namespace: l[TARGET_LABEL.namespace] ?? '', name: l[TARGET_LABEL.deployment] ?? '' };
    const server = { namespace: l[LABEL.dstNamespace] ?? '', name: l[LABEL.dstDeployment] ?? '' };
    for (const r of [client, server]) if (r.name) refs.set(`${r.namespace}/${r.name}`, r);
  }
  return [...refs.values()];
}

/**
 * One service's page in one call: its golden metrics as its callers measured them, who calls it, the workloads
 * serving it with their share of its traffic and their own inbound numbers, and that neighbourhood as a graph.
 * Null when no meshed caller has series addressed to it in the window.
 */
export async function getServiceDetail(
  prom: PrometheusClient,
  namespace: string,
  name: string,
  window: string,
  at: Date,
  destinations: DestinationsSource,
): Promise<ServiceDetailResponse | null> {
  const scope = { namespace, service: name, window };
  const [rates, buckets] = await Promise.all([
    prom.instant(serviceEdgeResponseRates(scope), at),
    prom.instant(serviceEdgeLatencyBuckets(scope), at),
  ]);
  if (rates.length === 0) return null;

  const refs = workloadsAround(rates);
  const namespaces = [...new Set(refs.map((r) => r.namespace))].sort();
  const names = [...new Set(refs.map((r) => r.name))].sort();
  const around = [oneOf(TARGET_LABEL.namespace, namespaces), oneOf(TARGET_LABEL.deployment, names)];
  const [[workloads, identities, denials], outbound] = await Promise.all([
    refs.length === 0
      ? Promise.resolve<[WorkloadSample[], WorkloadIdentity[], WorkloadDenial[]]>([[], [], []])
      : Promise.all([fetchWorkloadSamples(prom, [around], window, at), fetchIdentities(prom, at, around), fetchDenials(prom, [around], window, at)]),
    fetchServiceOutbound(prom, scope, parseDurationSeconds(window) ?? 60, at, destinations),
  ]);
  const isThis = (s: Ref) => s.namespace === namespace && s.name === name;
  const samples: TrafficSamples = {
    workloads,
    ...edgeSamples(rates, buckets, isThis),
    retries: [],
    identities,
    denials,
    splits: outbound.graphSplits,
    configuredSplits: configuredSplitSamples(outbound.configuredTable, namespace).filter((c) => c.parent.name === name),
  };
  const noise = { windowSeconds: parseDurationSeconds(window) ?? 60, scrapeSeconds: 0 };
  const graph = buildTopology(samples, { noise, thresholds: DEFAULT_HEALTH_THRESHOLDS, unmeshedClients: false });

  const self = nodeId('service', namespace, name);
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  // The namespaces × names read may take in a few more workloads: keep only nodes on the service's edges.
  const edges = graph.edges.filter((e) => e.source === self || e.target === self);
  const ids = new Set(edges.flatMap((e) => [e.source, e.target]).concat(self));
  const nodes = graph.nodes.filter((n) => ids.has(n.id));
  const parents = new Set(nodes.map((n) => n.parent));
  const service = summary(namespace, name, rates, buckets);
  const podsOf = new Map(workloads.map((w) => [`${w.namespace}/${w.name}`, w.meshedPods]));

  const upstreams = edges.filter((e) => e.target === self).map((e) => neighbour(byId.get(e.source)!, e));
  // The workloads behind it (a split's edges to its backend Services are in `graph` and `split`).
  const backends: ServiceBackend[] = edges
    .filter((e) => e.source === self && byId.get(e.target)?.kind === 'deployment')
    .map((e) => {
      const node = byId.get(e.target)!;
      return {
        ...neighbour(node, e),
        share: e.rps === null || service.rps === null ? null : Math.min(1, e.rps / service.rps),
        inbound: {
          meshedPods: podsOf.get(`${node.namespace}/${node.name}`) ?? 0,
          rps: node.rps,
          successRate: node.successRate,
          latencyMs: node.latencyMs,
        },
      };
    });
  return {
    window,
    service,
    upstreams,
    backends,
    graph: { nodes: [...nodes, ...graph.nodes.filter((n) => n.kind === 'namespace' && parents.has(n.id))], edges },
    split: outbound.split,
    endpoints: outbound.endpoints,
    failureAccrual: outbound.failureAccrual,
    configured: outbound.configured,
  };
}
